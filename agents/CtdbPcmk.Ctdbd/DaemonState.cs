// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ctdbd;

/// <summary>How the daemon's socket answered.</summary>
internal enum DaemonState
{
    /// <summary>Nothing listens on the socket (or it does not exist).</summary>
    Absent,
    /// <summary>Connected, but a request failed or timed out.</summary>
    NotAnswering,
    /// <summary>Answered the status requests.</summary>
    Answering,
}
