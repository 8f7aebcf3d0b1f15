// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// Runs one scenario of ctdb tool invocations on the reference and on the candidate (the two
/// clusters concurrently, the steps of each in order) and fails with a diff of every step
/// whose normalised stdout, stderr or exit status differ.
/// </summary>
internal static class ToolComparison
{
    public static async Task AssertSameAsync(ClusterPairFixture pair, params ToolStep[] steps)
    {
        var reference = Task.Run(() => RunAll(pair.Reference, steps));
        var candidate = Task.Run(() => RunAll(pair.Candidate, steps));
        await Task.WhenAll(reference, candidate);

        var report = new StringBuilder();
        for (int i = 0; i < steps.Length; i++)
        {
            CheckScenario(steps[i], reference.Result[i]);
            CompareStep(steps[i], pair, reference.Result[i], candidate.Result[i], report);
        }
        if (report.Length > 0)
        {
            Assert.Fail($"ctdb tool output differs from the real ctdbd (- real ctdbd, + {pair.Candidate.Name}):\n{report}");
        }
    }

    /// <summary>
    /// A failed command that ran into the tool's own time limit means the daemon stopped
    /// answering; the rest of the scenario is not run on it, so a hung daemon costs seconds, not minutes.
    /// </summary>
    private static readonly TimeSpan s_hung = TimeSpan.FromSeconds(8);

    private static Sh.Result[] RunAll(LocalCluster cluster, ToolStep[] steps)
    {
        var results = new Sh.Result[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            results[i] = cluster.Ctdb(0, steps[i].Args, steps[i].Stdin);
            if (results[i].Code != 0 && sw.Elapsed > s_hung)
            {
                for (int j = i + 1; j < steps.Length; j++)
                {
                    results[j] = new Sh.Result(-1, "", $"(not run: `{steps[i]}` took {sw.Elapsed.TotalSeconds:F0} s and failed)\n");
                }
                break;
            }
        }
        return results;
    }

    private static void CheckScenario(ToolStep step, Sh.Result reference)
    {
        bool exitOk = step.ReferenceExit switch
        {
            null => true,
            0 => reference.Code == 0,
            _ => reference.Code != 0,
        };
        if (!exitOk || (step.ReferenceShows is { } s && !reference.Stdout.Contains(s, StringComparison.Ordinal)))
        {
            Assert.Fail($"scenario broken: on the real ctdbd `{step}` gave {reference} " +
                $"(wanted {(step.ReferenceExit == 0 ? "success" : "failure")}{(step.ReferenceShows is null ? "" : $" showing \"{step.ReferenceShows}\"")})");
        }
    }

    private static void CompareStep(ToolStep step, ClusterPairFixture pair, Sh.Result reference, Sh.Result candidate, StringBuilder report)
    {
        string refOut = OutputNormalizer.Normalize(reference.Stdout, step.Args, pair.Reference.Directory);
        string candOut = OutputNormalizer.Normalize(candidate.Stdout, step.Args, pair.Candidate.Directory);
        string refErr = OutputNormalizer.Normalize(reference.Stderr, step.Args, pair.Reference.Directory);
        string candErr = OutputNormalizer.Normalize(candidate.Stderr, step.Args, pair.Candidate.Directory);
        if (refOut == candOut && refErr == candErr && reference.Code == candidate.Code)
        {
            return;
        }
        report.Append("$ ").AppendLine(step.ToString());
        if (reference.Code != candidate.Code)
        {
            report.AppendLine($"exit status: real {reference.Code}, {pair.Candidate.Name} {candidate.Code}");
        }
        if (refOut != candOut)
        {
            report.AppendLine("stdout:").Append(LineDiff.Format(refOut, candOut));
        }
        if (refErr != candErr)
        {
            report.AppendLine("stderr:").Append(LineDiff.Format(refErr, candErr));
        }
        report.AppendLine();
    }
}
