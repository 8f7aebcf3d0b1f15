// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.TestSupport;

namespace CtdbPcmk.Fuzz.Tests;

/// <summary>
/// The live fuzzer's short run (tests/fuzz/live.sh, 20,000 mutated packets through the client
/// socket and the node port of a daemon in a namespace) with the bounds of the full run: the
/// daemon stays up and answers every ping, peak RssAnon within 64 MB of the warmed-up value and
/// back within 20 MB, descriptors back to idle. The packaged (AOT) daemon when
/// CTDBPCMK_AOT_DAEMON names it, else the JIT build.
/// </summary>
public sealed class LiveFuzzTests
{
    [Fact]
    public void The_daemon_survives_20000_mutated_packets_within_its_memory_bounds()
    {
        string daemon = Environment.GetEnvironmentVariable("CTDBPCMK_AOT_DAEMON") is { Length: > 0 } aot && File.Exists(aot)
            ? aot
            : RepoPaths.Daemon;
        var result = Sh.Run(
            [Path.Combine(RepoPaths.Root, "tests", "fuzz", "live.sh"), "20000", "ours"],
            new Dictionary<string, string> { ["CTDBPCMK_DAEMON"] = daemon, ["LIVE_WARMUP"] = "5000" },
            timeoutMs: 180_000);
        Assert.True(result.Code == 0, $"live.sh failed ({result.Code}):\n{result.Stdout}\n{result.Stderr}");
        Assert.Contains("ours: packets 20000,", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("alive;", result.Stdout, StringComparison.Ordinal);
    }
}
