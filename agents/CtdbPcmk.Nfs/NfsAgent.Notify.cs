// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Nfs;

public sealed partial class NfsAgent
{
    /// <summary>
    /// After instances start elsewhere, checks that the RecoveryRoot is really shared: every
    /// running instance registers its node there at start, so a peer's missing registration
    /// means this node sees another directory, and a takeover here would find no client records
    /// to reclaim. Monitor then fails with that reason. A notification never fails itself.
    /// </summary>
    public override OcfExitCode Notify(OcfContext context)
    {
        var env = context.Environment;
        var type = env.GetNonEmpty("OCF_RESKEY_CRM_meta_notify_type");
        var operation = env.GetNonEmpty("OCF_RESKEY_CRM_meta_notify_operation");
        if (type != "post" || operation != "start")
        {
            return OcfExitCode.Success;
        }
        try
        {
            var config = NfsConfig.Parse(context.Parameters, env);
            var takeover = NfsTakeover.Load(config.StateDirectory);
            var state = LoadState(config);
            if (takeover?.RecoveryRoot is not { } root || state is null)
            {
                return OcfExitCode.Success;
            }
            var layout = new RecoveryLayout(root);
            var peers = Names(env, "OCF_RESKEY_CRM_meta_notify_active_uname")
                .Concat(Names(env, "OCF_RESKEY_CRM_meta_notify_start_uname"))
                .Where(n => n != config.NodeName)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            var missing = peers.Where(n => !layout.IsRegistered(n)).ToList();
            var problem = missing.Count == 0 ? "" :
                $"RecoveryRoot {root} is not shared: {string.Join(", ", missing)} run NFS-Ganesha but did not register there, so a takeover here could not reclaim their clients";
            if (problem != state.Problem)
            {
                state.Problem = problem;
                state.Save(config.StateFile);
                if (problem.Length > 0)
                {
                    context.Log.Error(problem);
                }
                else
                {
                    context.Log.Info($"RecoveryRoot {root} is shared by {string.Join(", ", peers)}");
                }
            }
        }
        catch (Exception e) when (e is OcfException or IOException or UnauthorizedAccessException or InvalidDataException)
        {
            context.Log.Warning($"notify: {e.Message}");
        }
        return OcfExitCode.Success;
    }

    private static string[] Names(OcfEnvironment env, string variable) =>
        (env.GetNonEmpty(variable) ?? "").Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
}
