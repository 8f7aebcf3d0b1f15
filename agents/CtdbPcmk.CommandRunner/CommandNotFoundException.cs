// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.CommandRunner;

/// <summary>A program to run is not installed (agents map this to OCF_ERR_INSTALLED).</summary>
public sealed class CommandNotFoundException : Exception
{
    /// <summary>Creates the exception for a program name.</summary>
    public CommandNotFoundException(string program)
        : base($"{program}: command not found")
    {
        Program = program;
    }

    /// <summary>The program that was not found.</summary>
    public string Program { get; }
}
