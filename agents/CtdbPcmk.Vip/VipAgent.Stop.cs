// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

public sealed partial class VipAgent
{
    /// <summary>
    /// Removes the address from every interface that has it, whatever the link state and
    /// whether or not the interface can still be discovered (IPaddr2 without nic leaves the
    /// address behind when the link is down, because its route is gone). Succeeds when nothing
    /// is left, including when nothing was there. First the address stops taking packets here
    /// (its local route goes, the address stays), then a CTDB daemon is told (RELEASE_IP), then
    /// the TCP connections still established on the address are reset (each peer gets a RST),
    /// so that clients reconnect to the address's next node at once instead of retransmitting
    /// into the void; then the address goes.
    /// </summary>
    public override OcfExitCode Stop(OcfContext context)
    {
        VipConfig config;
        try
        {
            config = VipConfig.Parse(context.Parameters, context.Log);
        }
        catch (OcfException e) when (e.Code == OcfExitCode.ErrConfigured)
        {
            // Nothing can have been started with parameters that never validated.
            context.Log.Warning($"stop with invalid parameters ({e.Message}): nothing to do");
            return OcfExitCode.Success;
        }
        Announcer.StopBackground(config, context);
        using var rt = new RtNetlink();
        var state = HostState.Read(rt, config.Address.AddressFamily);
        var present = state.Find(config.Address);
        // From here on nothing new reaches a socket on the address here: its local route goes, so
        // a client that reconnects the moment smbd drops it (below) is not accepted by this node
        // in the instant before the address leaves, only to be reset; its SYN goes unanswered and
        // is sent again, reaching the address's next node. Sockets on the address can still send
        // (the resets below). The address's removal takes nothing more with it.
        foreach (var address in present)
        {
            if (rt.DeleteLocalRoute(address.Address, address.Index))
            {
                context.Log.Debug($"{address.Address} takes no more packets here");
            }
        }
        using (var daemon = DaemonSession.Open(config.CtdbSocket, context.Log))
        {
            daemon.ReleaseIp(config.Address);
        }
        if (present.Count > 0 && config.NfsGrace)
        {
            // While the address is still here: ganesha lets go of its clients' opens and locks
            // (keeping their records) so that they can reclaim them on the next node.
            NfsGraceHook.Release(config, context);
        }
        if (present.Count > 0 && !TrackerSession.Request(config, "reset-server", config.Address, context))
        {
            // While the address is still local: once it is gone, the kernel has no route for a
            // RST from it, and the peers would only learn by timing out. The connection tracker
            // does the same when there is one, holding its record of them for the next node.
            ResetConnections(config, context);
        }
        foreach (var address in present)
        {
            var name = state.Link(address.Index)?.Name ?? address.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
            try
            {
                rt.DeleteAddress(address);
                context.Log.Info($"removed {address.Address}/{address.PrefixLength} from {name}");
            }
            catch (ErrnoException e) when (e.Errno is Errno.EADDRNOTAVAIL or Errno.ENODEV or Errno.ENOENT)
            {
                // Removed concurrently (or the interface went away): the goal is reached.
            }
        }
        var left = HostState.Read(rt, config.Address.AddressFamily).Find(config.Address);
        if (left.Count > 0)
        {
            throw OcfException.Generic($"{config.Address} is still configured after removal");
        }
        if (present.Count > 0)
        {
            // Nothing can have been accepted since the reset; whatever a concurrent writer left
            // on the address goes with it.
            ResetConnections(config, context);
        }
        return OcfExitCode.Success;
    }

    /// <summary>Aborts the server side of the address's established TCP connections (the kernel sends each peer a RST).</summary>
    private static void ResetConnections(VipConfig config, OcfContext context)
    {
        try
        {
            var reset = 0;
            foreach (var entry in TcpSocketTable.Established())
            {
                var local = entry.Local.Address.IsIPv4MappedToIPv6 ? entry.Local.Address.MapToIPv4() : entry.Local.Address;
                if (local.Equals(config.Address) && TcpSocketTable.Destroy(entry))
                {
                    reset++;
                }
            }
            if (reset > 0)
            {
                context.Log.Info($"reset {reset} TCP connection(s) on {config.Address}");
            }
        }
        catch (ErrnoException e)
        {
            // The address is gone; connections left over only wait longer for their timeout.
            context.Log.Error($"resetting TCP connections on {config.Address} failed: {e.Message}");
        }
    }
}
