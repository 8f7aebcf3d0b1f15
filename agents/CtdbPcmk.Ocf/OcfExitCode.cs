// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ocf;

/// <summary>OCF resource agent exit codes (OCF 1.1 plus Pacemaker's degraded codes).</summary>
public enum OcfExitCode
{
    /// <summary>Success; for monitor: running.</summary>
    Success = 0,
    /// <summary>Unspecified error.</summary>
    ErrGeneric = 1,
    /// <summary>Parameters invalid on this host.</summary>
    ErrArgs = 2,
    /// <summary>Action not implemented.</summary>
    ErrUnimplemented = 3,
    /// <summary>Insufficient privileges.</summary>
    ErrPerm = 4,
    /// <summary>Required software or kernel facility missing on this host.</summary>
    ErrInstalled = 5,
    /// <summary>Parameters inherently wrong (cluster-wide).</summary>
    ErrConfigured = 6,
    /// <summary>Cleanly stopped (monitor only).</summary>
    NotRunning = 7,
    /// <summary>Running in the promoted role.</summary>
    RunningPromoted = 8,
    /// <summary>Failed in the promoted role.</summary>
    FailedPromoted = 9,
    /// <summary>Running but degraded (Pacemaker extension).</summary>
    Degraded = 190,
    /// <summary>Promoted but degraded (Pacemaker extension).</summary>
    DegradedPromoted = 191,
}
