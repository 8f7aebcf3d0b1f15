// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.CommandRunner;

/// <summary>
/// Runs external tools. Arguments are always an argv list, never a shell string, so no value
/// from the cluster configuration is ever interpreted by a shell.
/// </summary>
public interface ICommandRunner
{
    /// <summary>
    /// Runs <paramref name="program"/> (a path, or a name looked up in PATH) with the arguments,
    /// optional standard input, and a timeout after which the process is killed.
    /// </summary>
    /// <exception cref="CommandNotFoundException">The program does not exist or is not executable.</exception>
    CommandResult Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout, string? stdin = null);

    /// <summary>The full path of a program found in PATH (or the path itself if executable), else null.</summary>
    string? Find(string program);
}
