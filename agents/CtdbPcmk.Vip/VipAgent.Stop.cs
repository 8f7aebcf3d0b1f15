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
    /// is left, including when nothing was there.
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
        foreach (var address in state.Find(config.Address))
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
        return OcfExitCode.Success;
    }
}
