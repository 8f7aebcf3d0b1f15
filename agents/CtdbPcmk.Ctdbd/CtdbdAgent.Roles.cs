// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Ctdbd;

public sealed partial class CtdbdAgent
{
    private static readonly TimeSpan s_roleFallback = TimeSpan.FromSeconds(30);

    /// <inheritdoc/>
    public override OcfExitCode Promote(OcfContext context) => SetRole(context, leader: true);

    /// <inheritdoc/>
    public override OcfExitCode Demote(OcfContext context) => SetRole(context, leader: false);

    /// <summary>
    /// Gives or takes the daemon's leader role and waits until the daemon reports the new role.
    /// Both directions are idempotent. Demoting a daemon that does not run succeeds: it is not
    /// the leader, which is what demote asks for.
    /// </summary>
    private OcfExitCode SetRole(OcfContext context, bool leader)
    {
        var config = CtdbdConfig.Parse(context.Parameters);
        var deadline = context.Deadline(s_roleFallback);
        var status = DaemonStatus.Query(config.Socket, config.RequestTimeout);
        if (!status.IsAnswering)
        {
            if (!leader)
            {
                context.Log.Info("demote: ctdb-pcmkd is not running");
                return OcfExitCode.Success;
            }
            throw OcfException.Generic($"cannot promote: ctdb-pcmkd is not running ({status.Describe()})");
        }
        if (status.IsLeader != leader)
        {
            try
            {
                using var client = CtdbClient.Connect(config.Socket);
                client.Timeout = config.RequestTimeout;
                client.SetLeaderRole(leader);
            }
            catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException)
            {
                throw OcfException.Generic($"cannot {(leader ? "take" : "release")} the leader role: {e.Message}");
            }
        }
        while (true)
        {
            status = DaemonStatus.Query(config.Socket, config.RequestTimeout);
            if (status.IsAnswering && status.IsLeader == leader)
            {
                context.Log.Info($"{(leader ? "promoted" : "demoted")}: {status.Describe()}");
                Score(context, config).Update(status, force: true);
                return OcfExitCode.Success;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw OcfException.Generic($"ctdb-pcmkd did not {(leader ? "become" : "stop being")} the leader in time: {status.Describe()}");
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>
    /// After an instance started, stopped or was promoted, every running daemon re-checks
    /// membership at once instead of waiting for keepalives: each probes its links and drops a
    /// node that stays silent, and the leader recovers when the set of nodes changed. Every
    /// instance asks, not only the leader: after a leader's node dies, the survivors still hold
    /// links to it until they probe them. Never fails: Pacemaker ignores notify failures, and a
    /// missed recheck only delays recovery.
    /// </summary>
    public override OcfExitCode Notify(OcfContext context)
    {
        var type = context.Environment.GetNonEmpty("OCF_RESKEY_CRM_meta_notify_type");
        var operation = context.Environment.GetNonEmpty("OCF_RESKEY_CRM_meta_notify_operation");
        context.Log.Debug($"notify {type}-{operation}");
        if (type != "post" || operation is not ("start" or "stop" or "promote"))
        {
            return OcfExitCode.Success;
        }
        try
        {
            var config = CtdbdConfig.Parse(context.Parameters);
            var status = DaemonStatus.Query(config.Socket, config.RequestTimeout);
            if (!status.IsAnswering)
            {
                context.Log.Debug($"post-{operation}: ctdb-pcmkd is not running; nothing to re-check");
                return OcfExitCode.Success;
            }
            using var client = CtdbClient.Connect(config.Socket);
            client.Timeout = config.RequestTimeout;
            client.Recheck();
            context.Log.Info($"post-{operation}: asked the {(status.IsLeader ? "leader" : "daemon")} to re-check membership");
        }
        catch (Exception e) when (e is OcfException or CtdbConnectionException or CtdbControlException or TimeoutException)
        {
            context.Log.Warning($"post-{operation} recheck failed: {e.Message}");
        }
        return OcfExitCode.Success;
    }

    /// <summary>
    /// Applies the reloadable parameters to the running daemon (debug level and tunables, by
    /// SET_DEBUG and SET_TUNABLE) and refreshes the generated configuration so the next start
    /// uses them too. The request timeout is read anew by every action anyway.
    /// </summary>
    public override OcfExitCode ReloadAgent(OcfContext context)
    {
        var config = CtdbdConfig.Parse(context.Parameters);
        if (config.UserConfigFile is null && Directory.Exists(config.RunDir))
        {
            ConfigFileWriter.WriteIfChanged(config.GeneratedConfigFile, ConfigFileWriter.Render(config, context.ResourceInstance));
        }
        var status = DaemonStatus.Query(config.Socket, config.RequestTimeout);
        if (!status.IsAnswering)
        {
            context.Log.Info("reload-agent: ctdb-pcmkd is not running; the new parameters apply at the next start");
            return OcfExitCode.Success;
        }
        try
        {
            using var client = CtdbClient.Connect(config.Socket);
            client.Timeout = config.RequestTimeout;
            Tunables.Apply(client, config);
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException)
        {
            throw OcfException.Generic($"reload-agent: {e.Message}");
        }
        context.Log.Info($"reload-agent: debug level {config.LogLevel}, {config.Tunables.Count} tunable(s) applied");
        return OcfExitCode.Success;
    }
}
