// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Agents.Tests;

public sealed class OcfRunnerTests
{
    [Theory]
    [InlineData("ok", 0, null)]
    [InlineData("ocf", 5, "tool missing")]
    [InlineData("eperm", 4, "netlink: Operation not permitted (errno 1)")]
    [InlineData("crash", 1, "internal error: InvalidOperationException: boom")]
    [InlineData("other", 1, null)]
    public void Start_outcomes_map_to_exit_codes_and_reasons(string mode, int code, string? reason)
    {
        var run = AgentRun.Of(new ProbeAgent(), "start", ("OCF_RESKEY_mode", mode));
        Assert.Equal(code, run.ExitCode);
        Assert.Equal(reason, run.Reason);
    }

    [Fact]
    public void A_null_reference_becomes_a_generic_error_not_a_crash()
    {
        var run = AgentRun.Of(new ProbeAgent(), "start", ("OCF_RESKEY_mode", "null"));
        Assert.Equal(1, run.ExitCode);
        Assert.StartsWith("internal error: NullReferenceException", run.Reason);
    }

    [Theory]
    [InlineData("count", "x", "parameter 'count': 'x' is not an integer")]
    [InlineData("count", "11", "parameter 'count': 11 is out of range [0, 10]")]
    [InlineData("count", "-1", "parameter 'count': -1 is out of range [0, 10]")]
    [InlineData("flag", "maybe", "parameter 'flag': 'maybe' is not a boolean")]
    public void Bad_parameter_values_are_not_configured(string name, string value, string reason)
    {
        var run = AgentRun.Of(new ProbeAgent(), "validate-all", ("OCF_RESKEY_" + name, value));
        Assert.Equal(6, run.ExitCode);
        Assert.Equal(reason, run.Reason);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("TRUE", true)]
    [InlineData("1", true)]
    [InlineData("on", true)]
    [InlineData("no", false)]
    [InlineData("False", false)]
    [InlineData("0", false)]
    [InlineData("", false)]
    public void Booleans_accept_the_ocf_spellings(string value, bool expected)
    {
        var env = OcfEnvironment.From(new Dictionary<string, string> { ["OCF_RESKEY_flag"] = value });
        var p = new OcfParameters(new ProbeAgent().Parameters, env);
        Assert.Equal(expected, p.GetBoolean("flag"));
    }

    [Fact]
    public void Defaults_apply_to_unset_and_empty_parameters()
    {
        var env = OcfEnvironment.From(new Dictionary<string, string> { ["OCF_RESKEY_count"] = "" });
        var p = new OcfParameters(new ProbeAgent().Parameters, env);
        Assert.Equal("ok", p.GetString("mode"));
        Assert.Equal(3, p.GetInt32("count"));
        Assert.False(p.IsSet("count"));
    }

    [Fact]
    public void Reading_an_undeclared_parameter_is_a_programming_error()
    {
        var p = new OcfParameters(new ProbeAgent().Parameters, OcfEnvironment.From(new Dictionary<string, string>()));
        Assert.Throws<InvalidOperationException>(() => p.GetString("nope"));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("10000", false)]
    [InlineData(null, false)]
    public void A_probe_is_a_monitor_with_interval_zero(string? interval, bool probe)
    {
        var agent = new ProbeAgent();
        var run = interval is null
            ? AgentRun.Of(agent, "monitor")
            : AgentRun.Of(agent, "monitor", ("OCF_RESKEY_CRM_meta_interval", interval));
        Assert.Equal(probe, agent.Last!.IsProbe);
        Assert.Equal(probe ? 7 : 0, run.ExitCode);
    }

    [Theory]
    [InlineData("promote", 3)]
    [InlineData("reload-agent", 3)]
    [InlineData("frobnicate", 3)]
    [InlineData("", 3)]
    [InlineData("notify", 0)]
    [InlineData("status", 0)]
    [InlineData("usage", 0)]
    public void Actions_the_agent_does_not_declare_are_unimplemented(string action, int code)
    {
        Assert.Equal(code, AgentRun.Of(new ProbeAgent(), action).ExitCode);
    }

    [Fact]
    public void Meta_data_needs_no_parameters_and_writes_the_xml_verbatim()
    {
        var run = AgentRun.Of(new ProbeAgent(), "meta-data");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("<resource-agent name=\"probe\"/>\n", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Fact]
    public void Exit_reason_uses_the_prefix_from_the_environment_and_one_line()
    {
        var env = OcfEnvironment.From(new Dictionary<string, string> { ["OCF_EXIT_REASON_PREFIX"] = "why:" });
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new OcfContext("start", new ProbeAgent(), env, stdout, stderr);
        context.ExitReason("two\nlines");
        Assert.Equal("why:two lines" + Environment.NewLine, stderr.ToString());
    }

    [Fact]
    public void Debug_lines_appear_only_with_HA_debug_and_go_to_HA_DEBUGLOG()
    {
        var dir = Directory.CreateTempSubdirectory("ocflog");
        try
        {
            var logFile = Path.Combine(dir.FullName, "ha.log");
            var debugFile = Path.Combine(dir.FullName, "debug.log");
            foreach (var debug in new[] { "0", "1" })
            {
                var env = OcfEnvironment.From(new Dictionary<string, string>
                {
                    ["HA_debug"] = debug,
                    ["HA_LOGFILE"] = logFile,
                    ["HA_DEBUGLOG"] = debugFile,
                    ["OCF_RESOURCE_INSTANCE"] = "r1",
                });
                using var stderr = new StringWriter();
                var log = new OcfLog("probe", env, stderr);
                log.Debug("dbg-" + debug);
                log.Info("info-" + debug);
                Assert.Contains($"probe(r1)[{Environment.ProcessId}]: INFO: info-{debug}", stderr.ToString());
                Assert.Equal(debug == "1", stderr.ToString().Contains("DEBUG: dbg-" + debug));
            }
            var haLog = File.ReadAllText(logFile);
            Assert.Contains("INFO: info-0", haLog);
            Assert.Contains("INFO: info-1", haLog);
            Assert.DoesNotContain("DEBUG", haLog);
            var debugLog = File.ReadAllText(debugFile);
            Assert.Contains("DEBUG: dbg-1", debugLog);
            Assert.DoesNotContain("dbg-0", debugLog);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
