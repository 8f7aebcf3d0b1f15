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

    /// <summary>The recovery may not run yet (it waits for Corosync): tried again after a pause, not at once.</summary>
    public bool Waits { get; init; }

    public RecoveryAbortedException() { }

    public RecoveryAbortedException(string message, Exception inner) : base(message, inner) { }
}
