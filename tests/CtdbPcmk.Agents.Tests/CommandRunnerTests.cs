// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.CommandRunner;

namespace CtdbPcmk.Agents.Tests;

public sealed class CommandRunnerTests
{
    private static readonly ProcessCommandRunner s_runner = ProcessCommandRunner.Instance;

    [Fact]
    public void Arguments_reach_the_program_verbatim_without_a_shell()
    {
        var before = ProcessCommandRunner.SpawnedProcesses;
        var r = s_runner.Run("printf", ["%s|", "a b", "$HOME", "; echo x"], TimeSpan.FromSeconds(10));
        Assert.True(r.Succeeded);
        Assert.Equal("a b|$HOME|; echo x|", r.Stdout);
        Assert.True(ProcessCommandRunner.SpawnedProcesses > before);
    }

    [Fact]
    public void Stdin_stdout_stderr_and_exit_code_are_captured()
    {
        var r = s_runner.Run("sh", ["-c", "cat; echo err >&2; exit 3"], TimeSpan.FromSeconds(10), stdin: "in\n");
        Assert.Equal((3, "in\n", "err\n", false), (r.ExitCode, r.Stdout, r.Stderr, r.TimedOut));
    }

    [Fact]
    public void A_command_past_its_timeout_is_killed()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var r = s_runner.Run("sleep", ["30"], TimeSpan.FromMilliseconds(300));
        Assert.True(r.TimedOut);
        Assert.False(r.Succeeded);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void A_missing_program_is_reported_as_not_found()
    {
        Assert.Throws<CommandNotFoundException>(() => s_runner.Run("ctdbpcmk-no-such-tool", [], TimeSpan.FromSeconds(5)));
        Assert.Null(s_runner.Find("ctdbpcmk-no-such-tool"));
        Assert.NotNull(s_runner.Find("sh"));
    }
}
