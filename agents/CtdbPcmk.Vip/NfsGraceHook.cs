// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Nfs;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

/// <summary>
/// nfs_grace: the address's NFS clients across a move. Before the address comes up on a node
/// that did not serve it last, that node's NFS-Ganesha enters grace for it, so its clients
/// reclaim their state first; before it goes down, ganesha lets go of its clients. What to call
/// is in the takeover file ocf:ctdb:nfs writes at start (<see cref="NfsTakeover"/>).
/// </summary>
internal static class NfsGraceHook
{
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Opens ganesha's admin interface (replaced by tests).</summary>
    internal static Func<string, TimeSpan, IGaneshaAdmin> ConnectAdmin { get; set; } = DBusGaneshaAdmin.Connect;

    /// <summary>Before the address is added; a failure fails the start (another node may do).</summary>
    public static void Take(VipConfig config, OcfContext context)
    {
        var takeover = Load(context)
            ?? throw OcfException.Generic($"nfs_grace is set but ocf:ctdb:nfs does not run on this node (no {NfsTakeover.PathIn(StateDirectory(context))}); order this address after the nfs clone");
        try
        {
            takeover.Take(config.Address, t => ConnectAdmin(t.BusAddress, s_callTimeout), context.Log);
        }
        catch (Exception e) when (e is GaneshaAdminException or IOException or UnauthorizedAccessException)
        {
            throw OcfException.Generic($"NFS grace for {config.Address}: {e.Message}");
        }
    }

    /// <summary>Before the address goes; a failure is logged, the address still goes.</summary>
    public static void Release(VipConfig config, OcfContext context)
    {
        try
        {
            if (Load(context) is not { } takeover)
            {
                context.Log.Info($"no ocf:ctdb:nfs on this node: no NFS clients of {config.Address} to release");
                return;
            }
            takeover.Release(config.Address, t => ConnectAdmin(t.BusAddress, s_callTimeout), context.Log);
        }
        catch (Exception e) when (e is GaneshaAdminException or InvalidDataException or IOException)
        {
            context.Log.Warning($"releasing the NFS clients of {config.Address}: {e.Message}");
        }
    }

    private static NfsTakeover? Load(OcfContext context)
    {
        try
        {
            return NfsTakeover.Load(StateDirectory(context));
        }
        catch (InvalidDataException e)
        {
            throw OcfException.Generic(e.Message);
        }
    }

    private static string StateDirectory(OcfContext context) => context.Environment.GetNonEmpty("HA_RSCTMP") ?? "/run/resource-agents";
}
