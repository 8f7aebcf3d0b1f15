// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux.Netlink;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

public sealed partial class VipAgent
{
    /// <summary>
    /// Running means: the address is on the configured interface (any interface when nic is not
    /// given), with the configured prefix and label, and (with check_link_status) that link is up
    /// and has carrier. Reads state only.
    /// </summary>
    public override OcfExitCode Monitor(OcfContext context)
    {
        var config = VipConfig.Parse(context.Parameters, context.Log);
        using var rt = new RtNetlink();
        var state = HostState.Read(rt, config.Address.AddressFamily);
        var (code, why) = Check(config, state);
        if (code != OcfExitCode.Success)
        {
            if (code == OcfExitCode.NotRunning)
            {
                context.Log.Debug(why);
            }
            else
            {
                throw new OcfException(code, why);
            }
        }
        return code;
    }

    /// <summary>The monitor verdict and, when not running, why.</summary>
    internal static (OcfExitCode Code, string Why) Check(VipConfig config, HostState state)
    {
        var present = state.Find(config.Address);
        if (config.Nic is not null)
        {
            var nic = InterfaceFinder.ResolveNic(config.Nic, state.Links);
            present = present.Where(a => nic is not null && a.Index == nic.Index).ToList();
        }
        if (present.Count == 0)
        {
            return (OcfExitCode.NotRunning, $"{config.Address} is not configured{(config.Nic is null ? "" : " on " + config.Nic)}");
        }
        var address = present[0];
        var link = state.Link(address.Index);
        if (link is null)
        {
            return (OcfExitCode.NotRunning, $"{config.Address}: interface {address.Index} vanished");
        }
        if (config.PrefixLength is int prefix && address.PrefixLength != prefix)
        {
            return (OcfExitCode.NotRunning, $"{config.Address} is on {link.Name} with prefix /{address.PrefixLength}, not /{prefix}");
        }
        if (config.Label is not null && address.Label != $"{link.Name}:{config.Label}")
        {
            return (OcfExitCode.ErrGeneric, $"{config.Address} is on {link.Name} with label '{address.Label}', not '{link.Name}:{config.Label}'");
        }
        if (address.DadFailed)
        {
            return (OcfExitCode.ErrGeneric, $"{config.Address} on {link.Name}: duplicate address detected");
        }
        if (config.CheckLinkStatus && !link.IsUp)
        {
            return (OcfExitCode.NotRunning, $"{config.Address} is on {link.Name} but the link is down");
        }
        return (OcfExitCode.Success, "");
    }
}
