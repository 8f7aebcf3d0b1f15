// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client;

/// <summary>A typed helper's control (or call) was answered with a failure status.</summary>
public sealed class CtdbControlException : Exception
{
    public CtdbControlException() { }

    public CtdbControlException(string message) : base(message) { }

    public CtdbControlException(string message, Exception inner) : base(message, inner) { }

    public CtdbControlException(ControlOpcode opcode, int status, string errorMessage)
        : base(Describe(opcode, status, errorMessage))
    {
        Opcode = opcode;
        Status = status;
        DaemonMessage = errorMessage;
    }

    /// <summary>The control that failed.</summary>
    public ControlOpcode Opcode { get; }

    /// <summary>Status the daemon answered with.</summary>
    public int Status { get; }

    /// <summary>Error text the daemon sent (may be empty).</summary>
    public string DaemonMessage { get; } = "";

    private static string Describe(ControlOpcode opcode, int status, string errorMessage) =>
        errorMessage.Length == 0
            ? $"control {opcode} failed with status {status}"
            : $"control {opcode} failed with status {status}: {errorMessage}";
}
