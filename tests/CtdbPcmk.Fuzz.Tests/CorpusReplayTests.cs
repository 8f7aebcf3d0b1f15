// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.TestSupport;
using Xunit.Abstractions;

namespace CtdbPcmk.Fuzz.Tests;

/// <summary>
/// Every committed input of the fuzzers (the seed corpus of every target and every crash or hang
/// afl++ found, tests/CtdbPcmk.Fuzz/regressions) through every target, in this process: each must
/// end normally or with the documented rejection. The daemon targets feed an in-process daemon
/// as a client and as node 1, and check after each input that it still answers a ping.
/// </summary>
public sealed class CorpusReplayTests(ITestOutputHelper output)
{
    private static readonly string s_fuzzDir = Path.Combine(RepoPaths.Root, "tests", "CtdbPcmk.Fuzz");

    public static TheoryData<string> TargetNames()
    {
        var data = new TheoryData<string>();
        foreach (var t in Targets.All)
        {
            data.Add(t.Name);
        }
        return data;
    }

    [Fact]
    public void The_corpus_and_the_regressions_are_there()
    {
        Assert.True(Inputs().Count > 1000, $"only {Inputs().Count} committed fuzz inputs");
        // Every decoder target has seeds, and none of them is rejected by all decoders: the corpus
        // reaches past the first length check.
        var packet = Targets.Find("packet")!;
        int accepted = Inputs().Count(f => Accepts(packet, f));
        Assert.True(accepted > 300, $"only {accepted} inputs decode as packets");
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Every_committed_input_is_handled_or_rejected_as_documented(string name)
    {
        var target = Targets.Find(name)!;
        var failures = new List<string>();
        foreach (var file in Inputs())
        {
            try
            {
                Rejection.Run(target, File.ReadAllBytes(file));
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetRelativePath(s_fuzzDir, file)}: {e.GetType().Name}: {e.Message}");
                output.WriteLine($"{file}: {e}");
            }
        }
        Assert.True(failures.Count == 0, $"{name}: {failures.Count} inputs crashed:\n{string.Join('\n', failures.Take(20))}");
    }

    [Fact]
    public void A_documented_rejection_is_not_a_crash_but_anything_else_is()
    {
        // The packet decoder rejects a header with a bad magic as documented...
        Rejection.Run(Targets.Find("header")!, new byte[32]);
        // ...and an exception of another type escapes as a crash.
        var crashing = new CodecTarget("crash", _ => throw new InvalidOperationException("bug"));
        Assert.Throws<InvalidOperationException>(() => Rejection.Run(crashing, [1]));
    }

    private static List<string> Inputs() =>
        [.. new[] { "corpus", "regressions" }
            .Select(d => Path.Combine(s_fuzzDir, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.GetFiles(d, "*", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal)];

    private static bool Accepts(IFuzzTarget target, string file)
    {
        try
        {
            target.Run(File.ReadAllBytes(file));
            return true;
        }
        catch (Exception e) when (Rejection.IsDocumented(e))
        {
            return false;
        }
    }
}
