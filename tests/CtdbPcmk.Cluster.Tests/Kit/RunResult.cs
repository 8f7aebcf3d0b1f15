// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.ClusterKit;

/// <summary>What one finished command printed and returned.</summary>
public sealed record RunResult(int ExitCode, string Output)
{
    public bool Ok => ExitCode == 0;

    public override string ToString() => $"exit {ExitCode}: {Output.TrimEnd()}";
}
