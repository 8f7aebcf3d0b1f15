// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Linux;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Packets;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.PublicAddresses;

/// <summary>
/// Sends takeover announcements: the neighbour update through a packet socket on the interface
/// (Ethernet interfaces that use ARP only), and tickle ACKs (sequence 0, acknowledgement 0) from
/// the public address to each client through raw IP sockets. A client's kernel answers the
/// out-of-window ACK with its real sequence numbers, or a stale socket here answers with a RST:
/// either way the connection recovers without waiting for a retransmission timeout.
/// </summary>
internal sealed class TakeoverAnnouncer : ITakeoverAnnouncer
{
    private readonly Serilog.ILogger _log;

    public TakeoverAnnouncer(Serilog.ILogger log) => _log = log;

    public void SendRound(string? iface, IPAddress address, IReadOnlyList<CtdbConnection> connections, int round)
    {
        if (iface is not null)
        {
            SendNeighbourUpdate(iface, address);
        }
        if (connections.Count > 0)
        {
            SendTickles(connections, round);
        }
    }

    private void SendNeighbourUpdate(string iface, IPAddress address)
    {
        try
        {
            LinkInfo? link;
            using (var rtnl = new RtNetlink())
            {
                link = rtnl.GetLinks().Find(l => l.HasName(iface));
            }
            if (link is null)
            {
                _log.Warning("Interface {Iface} of public address {Address} does not exist: no announcement", iface, address);
                return;
            }
            if (link.IsLoopback || (link.Flags & Rtnl.IffNoArp) != 0 || link.HardwareType != Rtnl.ArphrdEther || link.Mac.Length != Ethernet.AddressLength)
            {
                _log.Debug("Interface {Iface} does not use ARP/neighbour discovery: no announcement for {Address}", iface, address);
                return;
            }
            bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
            Span<byte> frame = stackalloc byte[NeighborAdvertisement.Length];
            int length = v6 ? NeighborAdvertisement.Write(frame, link.Mac, address) : GratuitousArp.Write(frame, link.Mac, address);
            using var socket = new PacketSocket(link.Index, v6 ? Ethernet.TypeIPv6 : Ethernet.TypeArp);
            socket.Send(frame[..length]);
        }
        catch (Exception e) when (e is ErrnoException or IOException or ArgumentException)
        {
            _log.Error("Announcing public address {Address} on {Iface} failed: {Error}", address, iface, e.Message);
        }
    }

    private void SendTickles(IReadOnlyList<CtdbConnection> connections, int round)
    {
        try
        {
            using var sender = new RawIpSender();
            Span<byte> packet = stackalloc byte[TcpTickle.IPv6PacketLength];
            for (int i = 0; i < connections.Count; i++)
            {
                // Source is the client, destination this node's public address (TCP_CLIENT's order).
                var client = connections[i].Source;
                var server = connections[i].Destination;
                if (client.AddressFamily != server.AddressFamily)
                {
                    continue;
                }
                try
                {
                    int length = TcpTickle.Write(packet, server, client, TcpControlBits.Ack, 0, 0, Identification(round, i));
                    sender.Send(packet[..length], client.AddressFamily == AddressFamily.InterNetworkV6 ? (uint)client.Address.ScopeId : 0);
                }
                catch (ErrnoException e)
                {
                    _log.Error("Tickle ACK {Server} -> {Client} failed: {Error}", server, client, e.Message);
                }
            }
        }
        catch (ErrnoException e)
        {
            _log.Error("Cannot send tickle ACKs: {Error}", e.Message);
        }
    }

    /// <summary>IPv4 identification of a tickle: non-zero (the kernel would replace 0) and telling round and index apart.</summary>
    internal static ushort Identification(int round, int index) =>
        (ushort)(0x8000 | ((round & 0x3) << 12) | (index & 0xFFF));
}
