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
        var reference = RunAllAsync(pair.Reference, steps);
        var candidate = RunAllAsync(pair.Candidate, steps);
        await Task.WhenAll(reference, candidate);

        var report = new StringBuilder();
        for (int i = 0; i < steps.Length; i++)
        {
            CheckScenario(steps[i], reference.Result[i]);
            CompareStep(steps[i], pair, reference.Result[i], candidate.Result[i], report);
        }
        if (report.Length > 0)
        {
            Assert.Fail($"ctdb tool output differs from the real ctdbd (- real ctdbd, + {pair.Candidate.ImplName}):\n{report}");
        }
    }

    /// <summary>
    /// A failed command that ran into the tool's own time limit means the daemon stopped
    /// answering; the rest of the scenario is not run on it, so a hung daemon costs seconds, not minutes.
    /// </summary>
    private static readonly TimeSpan s_hung = TimeSpan.FromSeconds(8);

    private static async Task<CommandResult[]> RunAllAsync(LocalCluster cluster, ToolStep[] steps)
    {
        var results = new CommandResult[steps.Length];
        for (int i = 0; i < steps.Length; i++)
        {
            var sw = System.Diagnostics.Stopwatch.StartNew();
            results[i] = await cluster.CtdbAsync(steps[i].Args, steps[i].Stdin);
            if (results[i].ExitCode != 0 && sw.Elapsed > s_hung)
            {
                for (int j = i + 1; j < steps.Length; j++)
                {
                    results[j] = new CommandResult(-1, "", $"(not run: `{steps[i]}` took {sw.Elapsed.TotalSeconds:F0} s and failed)\n");
                }
                break;
            }
        }
        return results;
    }

    private static void CheckScenario(ToolStep step, CommandResult reference)
    {
        bool exitOk = step.ReferenceExit switch
        {
            null => true,
            0 => reference.ExitCode == 0,
            _ => reference.ExitCode != 0,
        };
        if (!exitOk || (step.ReferenceShows is { } s && !reference.Stdout.Contains(s, StringComparison.Ordinal)))
        {
            Assert.Fail($"scenario broken: on the real ctdbd `{step}` gave {reference} " +
                $"(wanted {(step.ReferenceExit == 0 ? "success" : "failure")}{(step.ReferenceShows is null ? "" : $" showing \"{step.ReferenceShows}\"")})");
        }
    }

    private static void CompareStep(ToolStep step, ClusterPairFixture pair, CommandResult reference, CommandResult candidate, StringBuilder report)
    {
        string refOut = OutputNormalizer.Normalize(reference.Stdout, step.Args, pair.Reference.Directory);
        string candOut = OutputNormalizer.Normalize(candidate.Stdout, step.Args, pair.Candidate.Directory);
        string refErr = OutputNormalizer.Normalize(reference.Stderr, step.Args, pair.Reference.Directory);
        string candErr = OutputNormalizer.Normalize(candidate.Stderr, step.Args, pair.Candidate.Directory);
        if (refOut == candOut && refErr == candErr && reference.ExitCode == candidate.ExitCode)
        {
            return;
        }
        report.Append("$ ").AppendLine(step.ToString());
        if (reference.ExitCode != candidate.ExitCode)
        {
            report.AppendLine($"exit status: real {reference.ExitCode}, {pair.Candidate.ImplName} {candidate.ExitCode}");
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
