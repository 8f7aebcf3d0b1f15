// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Linux;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;
using CtdbPcmk.Packets;

namespace CtdbPcmk.Vip;

/// <summary>
/// Tells the segment that the address moved: gratuitous ARP requests for IPv4, unsolicited
/// neighbour advertisements for IPv6, <c>count</c> of them <c>interval</c> ms apart, written to
/// a packet socket on the interface. The first goes out before start returns; with arp_bg the
/// rest come from a forked sender whose PID is kept in a state file so stop can end it (an
/// address that is gone must not be announced any more). Interfaces without Ethernet addressing
/// are skipped.
/// </summary>
internal static class Announcer
{
    public static void Announce(LinkInfo link, VipConfig config, OcfContext context)
    {
        var log = context.Log;
        var address = config.Address;
        var count = config.ArpCount;
        StopBackground(config, context);
        if (count == 0)
        {
            return;
        }
        if (link.IsLoopback || (link.Flags & Rtnl.IffNoArp) != 0 || link.HardwareType != Rtnl.ArphrdEther || link.Mac.Length != Ethernet.AddressLength)
        {
            log.Info($"{link.Name} does not use ARP/neighbour discovery: no announcement sent");
            return;
        }
        var what = config.IsIPv6 ? "unsolicited neighbour advertisements" : "gratuitous ARPs";
        Span<byte> frame = stackalloc byte[NeighborAdvertisement.Length];
        var length = config.IsIPv6
            ? NeighborAdvertisement.Write(frame, link.Mac, address)
            : GratuitousArp.Write(frame, link.Mac, address);
        using var socket = new PacketSocket(link.Index, config.IsIPv6 ? Ethernet.TypeIPv6 : Ethernet.TypeArp);
        socket.Send(frame[..length]);
        if (count > 1 && config.ArpBackground)
        {
            var pid = BackgroundSender.Start(socket, frame[..length], count - 1, config.ArpIntervalMs);
            WritePid(config, context, pid);
            log.Info($"sent 1 of {count} {what} for {address} on {link.Name}; the rest from process {pid}");
            return;
        }
        for (var i = 1; i < count; i++)
        {
            if (config.ArpIntervalMs > 0)
            {
                Thread.Sleep(config.ArpIntervalMs);
            }
            socket.Send(frame[..length]);
        }
        log.Info($"sent {count} {what} for {address} on {link.Name}");
    }

    /// <summary>Ends a background sender of this address that is still running.</summary>
    public static void StopBackground(VipConfig config, OcfContext context)
    {
        var path = PidFile(config, context);
        try
        {
            if (!File.Exists(path))
            {
                return;
            }
            if (int.TryParse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && IsOurs(pid))
            {
                BackgroundSender.Stop(pid);
                context.Log.Debug($"ended announcement process {pid}");
            }
            File.Delete(path);
        }
        catch (IOException e)
        {
            context.Log.Warning($"announcement state {path}: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            context.Log.Warning($"announcement state {path}: {e.Message}");
        }
    }

    private static void WritePid(VipConfig config, OcfContext context, int pid)
    {
        var path = PidFile(config, context);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, pid.ToString(CultureInfo.InvariantCulture) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Log.Warning($"cannot record announcement process {pid} in {path}: {e.Message}");
        }
    }

    // A recorded PID counts only while it still runs this very binary (PIDs are reused).
    private static bool IsOurs(int pid)
    {
        var self = new FileInfo("/proc/self/exe").LinkTarget;
        var other = new FileInfo($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/exe").LinkTarget;
        return self is not null && self == other;
    }

    private static string PidFile(VipConfig config, OcfContext context)
    {
        var dir = context.Environment.GetNonEmpty("HA_RSCTMP") ?? "/run/resource-agents";
        return Path.Combine(dir, $"ctdb-vip-announce-{config.Address.ToString().Replace(':', '_')}.pid");
    }
}
