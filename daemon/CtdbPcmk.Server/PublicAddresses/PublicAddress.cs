// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Protocol;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.PublicAddresses;

/// <summary>
/// One public address as this node knows it: who holds it, the local interface it may be
/// hosted on (null when only other nodes told us about it), and the TCP connections to it that
/// a takeover must tickle.
/// </summary>
internal sealed class PublicAddress
{
    public PublicAddress(IPAddress address) => Address = address;

    public IPAddress Address { get; }

    /// <summary>Node hosting the address; <see cref="WireFormat.UnknownPnn"/> when nobody is known to.</summary>
    public uint Holder { get; set; } = WireFormat.UnknownPnn;

    /// <summary>Interface named by ADD_PUBLIC_IP on this node; null when it was not added here.</summary>
    public string? Interface { get; set; }

    /// <summary>Prefix length given with ADD_PUBLIC_IP.</summary>
    public uint PrefixLength { get; set; }

    /// <summary>
    /// Connections to the address (source = client, destination = this address). A set: the
    /// tracker may keep tens of thousands here, changing thousands a second.
    /// </summary>
    public HashSet<CtdbConnection> Connections { get; } = new();

    /// <summary>The list changed since it was last sent to the other nodes.</summary>
    public bool Changed { get; set; }

    /// <summary>Announcement rounds already sent for the current takeover.</summary>
    public int RoundsSent { get; set; }

    /// <summary>The timer of the next announcement round, while rounds remain.</summary>
    public LoopTimer? NextRound { get; set; }

    public void StopAnnouncing()
    {
        NextRound?.Cancel();
        NextRound = null;
    }

    public bool Add(CtdbConnection connection)
    {
        if (!Connections.Add(connection))
        {
            return false;
        }
        Changed = true;
        return true;
    }

    public bool Remove(CtdbConnection connection)
    {
        if (!Connections.Remove(connection))
        {
            return false;
        }
        Changed = true;
        return true;
    }

    public TickleList ToTickleList(int port = 0) =>
        new(new IPEndPoint(Address, port), port == 0 ? Connections.ToArray() : Connections.Where(c => c.Destination.Port == port).ToArray());
}
