// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Recovery;

/// <summary>A recovery step failed or the recovery was superseded; the leader starts again if it still leads.</summary>
internal sealed class RecoveryAbortedException : Exception
{
    public RecoveryAbortedException(string message) : base(message) { }

    /// <summary>A node's control failed: the recovery failed because of that node.</summary>
    public RecoveryAbortedException(string message, uint culprit) : base(message) => Culprit = culprit;

    /// <summary>The node whose control failed, when one did (not set for a superseded recovery).</summary>
    public uint? Culprit { get; }

    public RecoveryAbortedException() { }

    public RecoveryAbortedException(string message, Exception inner) : base(message, inner) { }
}
