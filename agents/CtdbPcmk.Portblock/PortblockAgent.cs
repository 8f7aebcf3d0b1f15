// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Portblock;

/// <summary>
/// ocf:ctdb:portblock. action=block: start adds the DROP rules, stop removes them.
/// action=unblock: start removes them and tickles the recorded clients, stop records the current
/// connections and adds them. Monitor combines rule presence with the instance's state marker.
/// </summary>
public sealed partial class PortblockAgent : OcfAgent
{
    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(15);
    private readonly ICommandRunner _runner;
    private readonly Action<TimeSpan> _sleep;

    public PortblockAgent()
        : this(ProcessCommandRunner.Instance, Thread.Sleep)
    {
    }

    internal PortblockAgent(ICommandRunner runner, Action<TimeSpan> sleep)
    {
        _runner = runner;
        _sleep = sleep;
    }

    /// <inheritdoc/>
    public override string Name => "portblock";

    /// <inheritdoc/>
    public override IReadOnlyList<OcfParameter> Parameters => PortblockParameters.All;

    /// <inheritdoc/>
    public override string Metadata => OcfMetadataXml.Text;

    /// <inheritdoc/>
    public override OcfExitCode ValidateAll(OcfContext context)
    {
        var config = PortblockConfig.Parse(context.Parameters);
        var firewall = Firewall(context, config);
        if (config.TickleDir is { } dir && !Directory.Exists(dir))
        {
            throw OcfException.Installed($"tickle_dir '{dir}' does not exist");
        }

        context.Log.Debug($"configuration valid, firewall backend {firewall.Name}");
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Start(OcfContext context)
    {
        var config = PortblockConfig.Parse(context.Parameters);
        var firewall = Firewall(context, config);
        State(context, config).Set();
        if (config.Action == BlockAction.Block)
        {
            AddRules(context, config, firewall);
        }
        else
        {
            RemoveRules(context, config, firewall);
            TickleRecordedClients(context, config);
        }

        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Stop(OcfContext context)
    {
        var config = PortblockConfig.Parse(context.Parameters);
        var state = State(context, config);
        IFirewall firewall;
        try
        {
            firewall = Firewall(context, config);
        }
        catch (OcfException e) when (e.Code == OcfExitCode.ErrInstalled && config.Action == BlockAction.Block)
        {
            // Without any firewall program no rule of ours can exist: the block is already gone.
            context.Log.Warning(e.Message);
            state.Clear();
            return OcfExitCode.Success;
        }

        if (config.Action == BlockAction.Block)
        {
            RemoveRules(context, config, firewall);
        }
        else
        {
            RecordConnections(context, config);
            if (config.BlockOnUnblockStop)
            {
                AddRules(context, config, firewall);
            }

            if (config.ResetLocalOnUnblockStop)
            {
                ResetLocalConnections(context, config);
            }
        }

        state.Clear();
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Monitor(OcfContext context)
    {
        var config = PortblockConfig.Parse(context.Parameters);
        var started = State(context, config).Exists;
        if (config.Action == BlockAction.Block)
        {
            // Active while started (the unblock partner may have lifted the rule), else while the
            // rule is in place.
            return started || config.Rules.All(Firewall(context, config).IsPresent) ? OcfExitCode.Success : OcfExitCode.NotRunning;
        }

        var firewall = Firewall(context, config);
        if (!started)
        {
            return OcfExitCode.NotRunning;
        }

        if (config.Rules.Any(firewall.IsPresent))
        {
            context.Log.Warning($"unblock instance is started but a DROP rule is present ({firewall.Name})");
            return OcfExitCode.NotRunning;
        }

        RecordConnections(context, config);
        return OcfExitCode.Success;
    }

    private IFirewall Firewall(OcfContext context, PortblockConfig config) =>
        FirewallSelector.Select(config.Firewall, _runner, Bounded(context.Timeout));

    private static InstanceState State(OcfContext context, PortblockConfig config) =>
        new(context.Environment, context.ResourceInstance ?? config.Rules.First().Tag);

    private static TimeSpan Bounded(TimeSpan? timeout) =>
        timeout is { } t && t < s_commandTimeout ? t : s_commandTimeout;

    private static void AddRules(OcfContext context, PortblockConfig config, IFirewall firewall)
    {
        foreach (var rule in config.Rules)
        {
            firewall.Add(rule);
            context.Log.Info($"blocked {rule} ({firewall.Name})");
        }
    }

    private static void RemoveRules(OcfContext context, PortblockConfig config, IFirewall firewall)
    {
        foreach (var rule in config.Rules)
        {
            firewall.Remove(rule);
            context.Log.Info($"unblocked {rule} ({firewall.Name})");
        }
    }
}
