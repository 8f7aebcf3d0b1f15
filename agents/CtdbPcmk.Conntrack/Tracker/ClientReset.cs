// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Linux;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;
using CtdbPcmk.Packets;
using CtdbPcmk.Portblock;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>
/// reset-client for an address just taken over here: each round announces the address on its
/// interface (gratuitous ARP, or an unsolicited neighbour advertisement for IPv6) and sends a
/// tickle ACK from the address to every client of the list, 3 rounds 510 ms apart (the clients'
/// kernels answer an out-of-window segment at most once per 500 ms). The clients answer with an
/// ACK that meets no socket here, get a RST, and reconnect. Runs on a thread of its own so that
/// the tracker keeps reading events meanwhile.
/// </summary>
internal static class ClientReset
{
    /// <summary>Sends every round; returns how long the first round took (the clients' wait starts there).</summary>
    public static TimeSpan Run(IPAddress address, IReadOnlyList<CtdbConnection> clients, OcfLog log)
    {
        var connections = clients.Select(c => new TcpConnection(c.Destination, c.Source)).ToList();
        var announce = Announcement(address, log);
        var watch = Stopwatch.StartNew();
        var firstRound = TimeSpan.Zero;
        var (sent, errors) = Tickler.Send(connections, Thread.Sleep,
            beforeRound: _ => announce?.Invoke(),
            afterRound: round =>
            {
                if (round == 0)
                {
                    firstRound = watch.Elapsed;
                }
            });
        foreach (var error in errors.Take(5))
        {
            log.Error(error);
        }
        if (errors.Count > 5)
        {
            log.Error($"{errors.Count - 5} more tickles failed");
        }
        log.Info($"reset-client {address}: {connections.Count} client(s), {sent} tickle(s) in {Tickler.Rounds} rounds, first round in {firstRound.TotalMilliseconds:F1} ms");
        return firstRound;
    }

    /// <summary>The announcement of <paramref name="address"/> on the interface that has it; null when none can be sent.</summary>
    private static Action? Announcement(IPAddress address, OcfLog log)
    {
        try
        {
            using var rt = new RtNetlink();
            var family = address.AddressFamily;
            var local = rt.GetAddresses(family).FirstOrDefault(a => a.Address.Equals(address));
            var link = local is null ? null : rt.GetLinks().FirstOrDefault(l => l.Index == local.Index);
            if (link is null || link.IsLoopback || link.HardwareType != Rtnl.ArphrdEther || link.Mac.Length != Ethernet.AddressLength)
            {
                log.Debug($"{address}: no Ethernet interface has it; no announcement");
                return null;
            }
            var frame = new byte[NeighborAdvertisement.Length];
            bool v6 = family == AddressFamily.InterNetworkV6;
            int length = v6 ? NeighborAdvertisement.Write(frame, link.Mac, address) : GratuitousArp.Write(frame, link.Mac, address);
            int index = link.Index;
            return () =>
            {
                try
                {
                    using var socket = new PacketSocket(index, v6 ? Ethernet.TypeIPv6 : Ethernet.TypeArp);
                    socket.Send(frame.AsSpan(0, length));
                }
                catch (ErrnoException e)
                {
                    log.Error($"announcing {address}: {e.Message}");
                }
            };
        }
        catch (ErrnoException e)
        {
            log.Error($"finding the interface of {address}: {e.Message}");
            return null;
        }
    }
}
