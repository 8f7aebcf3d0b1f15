// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>What one finished command printed and returned.</summary>
internal sealed record CommandResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() =>
        $"exit {ExitCode}\n--- stdout ---\n{Stdout}--- stderr ---\n{Stderr}";
}
