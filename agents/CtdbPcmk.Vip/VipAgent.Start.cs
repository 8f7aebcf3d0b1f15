// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Linux;
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

public sealed partial class VipAgent
{
    private static readonly TimeSpan s_dadWait = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Adds the address to the chosen interface (moving it there if it is elsewhere), waits for
    /// IPv6 duplicate address detection, tells the CTDB daemon (when there is one) that this
    /// node holds it, announces it, and checks the result as monitor does. Already running:
    /// success without changes.
    /// </summary>
    public override OcfExitCode Start(OcfContext context)
    {
        var config = VipConfig.Parse(context.Parameters, context.Log);
        var family = config.Address.AddressFamily;
        using var rt = new RtNetlink();
        var state = HostState.Read(rt, family);
        if (Check(config, state).Code == OcfExitCode.Success)
        {
            // A stop cut short after the address stopped taking packets leaves it so.
            foreach (var address in state.Find(config.Address))
            {
                if (rt.AddLocalRoute(address.Address, address.Index))
                {
                    context.Log.Info($"{config.Address} takes packets again (a stop left it without its local route)");
                }
            }
            context.Log.Info($"{config.Address} is already running");
            return OcfExitCode.Success;
        }
        var placement = InterfaceFinder.Find(config, state.Links, state.Addresses, rt.GetRoutes(family))
            ?? throw OcfException.Installed($"no interface on this node has a subnet or route containing {config.Address}; set nic and cidr_netmask");
        var link = placement.Link;
        if (config.CheckLinkStatus && !link.IsUp)
        {
            throw OcfException.Generic($"link {link.Name} is down");
        }
        var label = CheckLabel(config, link.Name);
        if (config.NfsGrace)
        {
            // Before the address answers: its NFS clients must meet a server in grace.
            NfsGraceHook.Take(config, context);
        }
        using var daemon = DaemonSession.Open(config.CtdbSocket, context.Log);
        daemon.AddPublicIp(config.Address, placement.PrefixLength, link.Name);
        // Whatever is there under this address (elsewhere, or with other prefix or label) goes.
        foreach (var stale in state.Find(config.Address))
        {
            context.Log.Info($"removing {stale.Address}/{stale.PrefixLength} from interface {state.Link(stale.Index)?.Name} before adding it to {link.Name}");
            rt.DeleteAddress(stale);
        }
        var flags = 0u;
        if (config.IsIPv6 && config.NoDad)
        {
            flags |= Rtnl.IfaFNoDad;
        }
        if (config.NoPrefixRoute)
        {
            flags |= Rtnl.IfaFNoPrefixRoute;
        }
        rt.AddAddress(new AddressRequest
        {
            Index = link.Index,
            Address = config.Address,
            PrefixLength = placement.PrefixLength,
            Broadcast = config.IsIPv6 ? null : ChooseBroadcast(config, placement),
            Label = label,
            Flags = flags,
            PreferredLifetime = config.IsIPv6 ? config.PreferredLifetime : uint.MaxValue,
        });
        context.Log.Info($"added {config.Address}/{placement.PrefixLength} to {link.Name}");

        if (config.IsIPv6 && !config.NoDad)
        {
            WaitForDad(rt, config, context);
        }
        daemon.TakeoverIp(config.Address);
        try
        {
            Announcer.Announce(link, config, context);
        }
        catch (ErrnoException e)
        {
            // The address is up; a failed announcement only delays neighbours' cache updates.
            context.Log.Error($"announcing {config.Address} on {link.Name} failed: {e.Message}");
        }
        TrackerSession.Request(config, "reset-client", config.Address, context);

        var (code, why) = Check(config with { PrefixLength = placement.PrefixLength, Nic = link.Name }, HostState.Read(rt, family));
        if (code != OcfExitCode.Success)
        {
            throw OcfException.Generic($"{config.Address} is not running after start: {why}");
        }
        return OcfExitCode.Success;
    }

    private static IPAddress? ChooseBroadcast(VipConfig config, Placement placement) => config.BroadcastMode switch
    {
        BroadcastMode.None => null,
        BroadcastMode.Explicit => config.Broadcast,
        BroadcastMode.Auto when placement.SiblingBroadcast is not null => placement.SiblingBroadcast,
        _ => Subnet.Broadcast(config.Address, placement.PrefixLength),
    };

    private static void WaitForDad(RtNetlink rt, VipConfig config, OcfContext context)
    {
        var limit = context.Timeout is TimeSpan t && t / 2 < s_dadWait ? t / 2 : s_dadWait;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var address = rt.GetAddresses(AddressFamily.InterNetworkV6).FirstOrDefault(a => a.Address.Equals(config.Address));
            if (address is null)
            {
                throw OcfException.Generic($"{config.Address} vanished during duplicate address detection");
            }
            if (address.DadFailed)
            {
                rt.DeleteAddress(address);
                throw OcfException.Generic($"{config.Address}: duplicate address detected on the link");
            }
            if (!address.IsTentative)
            {
                context.Log.Debug($"duplicate address detection finished after {clock.ElapsedMilliseconds} ms");
                return;
            }
            if (clock.Elapsed > limit)
            {
                context.Log.Warning($"{config.Address} is still tentative after {clock.ElapsedMilliseconds} ms");
                return;
            }
            Thread.Sleep(50);
        }
    }
}
