// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Health;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.HealthOcf;

/// <summary>
/// ocf:ctdb:health: publishes the node's health (memory, file systems, daemon state) as the
/// transient node attribute #health-ctdb = green|yellow|red, which Pacemaker's
/// node-health-strategy turns into placement. Monitor keeps returning 0 while the node is red:
/// the attribute carries the health, and the agent must keep running to clear it again.
/// </summary>
public sealed class HealthAgent : OcfAgent
{
    private static readonly TimeSpan s_updaterTimeout = TimeSpan.FromSeconds(15);

    private readonly ICommandRunner _runner;

    /// <summary>Creates the agent with real processes for attrd_updater.</summary>
    public HealthAgent()
        : this(ProcessCommandRunner.Instance)
    {
    }

    internal HealthAgent(ICommandRunner runner)
    {
        _runner = runner;
    }

    /// <inheritdoc/>
    public override string Name => "health";

    /// <inheritdoc/>
    public override IReadOnlyList<OcfParameter> Parameters => HealthParameters.All;

    /// <inheritdoc/>
    public override string Metadata => OcfMetadataXml.Text;

    /// <inheritdoc/>
    public override OcfExitCode ValidateAll(OcfContext context)
    {
        var config = HealthConfig.Parse(context.Parameters);
        RequireUpdater(config);
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Start(OcfContext context)
    {
        var config = HealthConfig.Parse(context.Parameters);
        RequireUpdater(config);
        var state = StateFile(context);
        Directory.CreateDirectory(Path.GetDirectoryName(state)!);
        var health = NodeHealth.Check(config.Options);
        Publish(context, config, health, previous: null);
        File.WriteAllText(state, health.Value + "\n");
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Stop(OcfContext context)
    {
        var config = HealthConfig.Parse(context.Parameters);
        var state = StateFile(context);
        try
        {
            var r = _runner.Run(config.AttrdUpdater, ["-n", config.Attribute, "-D"], s_updaterTimeout);
            if (!r.Succeeded)
            {
                context.Log.Warning($"{config.AttrdUpdater} -n {config.Attribute} -D failed ({r.ExitCode}): {r.Stderr.Trim()}");
            }
        }
        catch (CommandNotFoundException e)
        {
            context.Log.Warning($"cannot remove {config.Attribute}: {e.Message}");
        }
        File.Delete(state);
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Monitor(OcfContext context)
    {
        var config = HealthConfig.Parse(context.Parameters);
        var state = StateFile(context);
        string previous;
        try
        {
            previous = File.ReadAllText(state).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return OcfExitCode.NotRunning;
        }
        var health = NodeHealth.Check(config.Options);
        // attrd already holds an unchanged value; a probe publishes anyway, since the
        // attribute may be gone (a restarted node or controller) while the marker survived.
        if (health.Value != previous || context.IsProbe)
        {
            Publish(context, config, health, context.IsProbe ? null : previous);
            File.WriteAllText(state, health.Value + "\n");
        }
        else if (health.Color != HealthColor.Green)
        {
            context.Log.Debug($"{config.Attribute} stays {health}");
        }
        return OcfExitCode.Success;
    }

    private void Publish(OcfContext context, HealthConfig config, HealthResult health, string? previous)
    {
        string[] args = config.Dampen is null
            ? ["-n", config.Attribute, "-U", health.Value]
            : ["-n", config.Attribute, "-B", health.Value, "-d", config.Dampen];
        CommandResult r;
        try
        {
            r = _runner.Run(config.AttrdUpdater, args, s_updaterTimeout);
        }
        catch (CommandNotFoundException e)
        {
            throw OcfException.Installed($"{HealthParameters.AttrdUpdater}: {e.Message}");
        }
        if (!r.Succeeded)
        {
            throw OcfException.Generic($"{config.AttrdUpdater} {string.Join(' ', args)} failed ({r.ExitCode}): {r.Stderr.Trim()}");
        }
        var message = previous is null
            ? $"{config.Attribute} = {health}"
            : $"{config.Attribute} {previous} -> {health}";
        if (health.Color == HealthColor.Green)
        {
            context.Log.Info(message);
        }
        else
        {
            context.Log.Warning(message);
        }
    }

    private void RequireUpdater(HealthConfig config)
    {
        if (_runner.Find(config.AttrdUpdater) is null)
        {
            throw OcfException.Installed($"{config.AttrdUpdater} is not installed (Pacemaker's command line tools)");
        }
    }

    /// <summary>The instance's "started" marker in HA_RSCTMP, holding the last published value.</summary>
    private static string StateFile(OcfContext context)
    {
        var dir = context.Environment.GetNonEmpty("HA_RSCTMP") ?? "/run/resource-agents";
        var instance = (context.ResourceInstance ?? "health").Replace('/', '_').Replace(':', '_');
        return Path.Combine(dir, $"ctdb-health-{instance}.state");
    }
}
