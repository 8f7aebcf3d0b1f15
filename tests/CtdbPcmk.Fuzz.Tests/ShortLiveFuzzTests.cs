// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.TestSupport;
using Xunit.Abstractions;

namespace CtdbPcmk.Fuzz.Tests;

/// <summary>
/// A short run of the live fuzzer (tests/fuzz/live.sh, which make fuzz-live runs with a million
/// packets) against a running daemon: mutated packets through its client socket and, as node 1,
/// its node port. The daemon must stay up and answer pings throughout, keep its peak RssAnon
/// within 64 MB of its warmed-up value, come back within 20 MB of it, and have no more
/// descriptors open afterwards than when idle (files of the databases it attached aside).
/// The Native AOT daemon of make test (CTDBPCMK_AOT_DAEMON) when set, else the Release build.
/// </summary>
public sealed class ShortLiveFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Fifty_thousand_mutated_packets_leave_the_daemon_answering_with_bounded_memory_and_descriptors()
    {
        string daemon = Environment.GetEnvironmentVariable("CTDBPCMK_AOT_DAEMON") is { Length: > 0 } aot ? aot : RepoPaths.Daemon;
        var psi = new ProcessStartInfo(Path.Combine(RepoPaths.Root, "tests", "fuzz", "live.sh"));
        psi.ArgumentList.Add("50000");
        psi.ArgumentList.Add("ours");
        psi.Environment["CTDBPCMK_DAEMON"] = daemon;
        psi.Environment["LIVE_WARMUP"] = "5000";
        var r = await Sh.RunTreeAsync(psi, TimeSpan.FromMinutes(4));
        string all = r.Stdout + r.Stderr;
        output.WriteLine(all);
        Assert.True(r.Code == 0, all);
        var line = all.Split('\n').First(l => l.StartsWith("ours: packets 50000", StringComparison.Ordinal));
        Assert.Contains("; alive;", line);
        Assert.Contains(" 0 failed", line);
        var fds = System.Text.RegularExpressions.Regex.Match(line, @"fds idle (\d+), after (\d+)");
        Assert.True(fds.Success && int.Parse(fds.Groups[2].Value) <= int.Parse(fds.Groups[1].Value), line);
        output.WriteLine("note: short live fuzz (" + Path.GetFileName(daemon) + "): " + line);
    }
}
