// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Ocf;

/// <summary>Everything one action invocation sees: action, parameters, environment, log, output.</summary>
public sealed class OcfContext
{
    private readonly TextWriter _stderr;

    /// <summary>Creates the context for one action.</summary>
    public OcfContext(string action, OcfAgent agent, OcfEnvironment environment, TextWriter stdout, TextWriter stderr)
    {
        Action = action;
        Environment = environment;
        Stdout = stdout;
        _stderr = stderr;
        Parameters = new OcfParameters(agent.Parameters, environment);
        Log = new OcfLog(agent.Name, environment, stderr);
        IntervalMs = ParseLong(environment.GetNonEmpty("OCF_RESKEY_CRM_meta_interval"));
        var timeout = ParseLong(environment.GetNonEmpty("OCF_RESKEY_CRM_meta_timeout"));
        Timeout = timeout > 0 ? TimeSpan.FromMilliseconds(timeout) : null;
        var level = environment.GetNonEmpty("OCF_CHECK_LEVEL") ?? environment.GetNonEmpty("OCF_RESKEY_OCF_CHECK_LEVEL");
        CheckLevel = (int)ParseLong(level);
        // A probe is a monitor with interval 0 (what ocf_is_probe tests); an unset interval is
        // a manual run, not a probe.
        IsProbe = action == "monitor" && environment.Get("OCF_RESKEY_CRM_meta_interval") == "0";
    }

    /// <summary>The action name as given in argv[1] (after alias resolution).</summary>
    public string Action { get; }

    /// <summary>The command-line arguments after the action (only an agent's own actions use them).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The agent's bound parameters.</summary>
    public OcfParameters Parameters { get; }

    /// <summary>The environment of the action.</summary>
    public OcfEnvironment Environment { get; }

    /// <summary>The agent's log.</summary>
    public OcfLog Log { get; }

    /// <summary>Standard output (meta-data, usage).</summary>
    public TextWriter Stdout { get; }

    /// <summary>True for a monitor with OCF_RESKEY_CRM_meta_interval=0.</summary>
    public bool IsProbe { get; }

    /// <summary>The operation interval in milliseconds (0 when unset).</summary>
    public long IntervalMs { get; }

    /// <summary>The operation timeout when Pacemaker passed one.</summary>
    public TimeSpan? Timeout { get; }

    /// <summary>
    /// When the action must be done: the operation timeout (or <paramref name="fallback"/> when
    /// Pacemaker passed none) less a margin of a tenth, at most 2 s, for the agent to report.
    /// </summary>
    public DateTime Deadline(TimeSpan fallback)
    {
        var total = Timeout ?? fallback;
        var margin = TimeSpan.FromSeconds(Math.Min(2, total.TotalSeconds / 10));
        return DateTime.UtcNow + total - margin;
    }

    /// <summary>OCF_CHECK_LEVEL (0 when unset).</summary>
    public int CheckLevel { get; }

    /// <summary>The resource instance name (OCF_RESOURCE_INSTANCE), if any.</summary>
    public string? ResourceInstance => Environment.GetNonEmpty("OCF_RESOURCE_INSTANCE");

    /// <summary>
    /// Writes the human-readable failure reason Pacemaker shows with the result (the last such
    /// line wins).
    /// </summary>
    public void ExitReason(string reason)
    {
        var prefix = Environment.GetNonEmpty("OCF_EXIT_REASON_PREFIX") ?? "ocf-exit-reason:";
        // One line only: Pacemaker takes the reason from a single stderr line.
        var line = reason.ReplaceLineEndings(" ");
        try
        {
            _stderr.WriteLine(prefix + line);
            _stderr.Flush();
        }
        catch (IOException)
        {
        }
    }

    private static long ParseLong(string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
