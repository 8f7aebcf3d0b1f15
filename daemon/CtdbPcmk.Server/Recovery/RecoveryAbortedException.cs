// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Recovery;

/// <summary>A recovery step failed or the recovery was superseded; the leader starts again if it still leads.</summary>
internal sealed class RecoveryAbortedException : Exception
{
    public RecoveryAbortedException(string message) : base(message) { }

    public RecoveryAbortedException() { }

    public RecoveryAbortedException(string message, Exception inner) : base(message, inner) { }
}
