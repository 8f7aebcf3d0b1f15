// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.CommandRunner;

/// <summary>The outcome of one command.</summary>
/// <param name="ExitCode">Exit status (128+signal when killed by a signal, -1 on timeout).</param>
/// <param name="Stdout">Captured standard output.</param>
/// <param name="Stderr">Captured standard error.</param>
/// <param name="TimedOut">True when the command was killed because it ran past its timeout.</param>
public sealed record CommandResult(int ExitCode, string Stdout, string Stderr, bool TimedOut)
{
    /// <summary>True for exit status 0 without timeout.</summary>
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
