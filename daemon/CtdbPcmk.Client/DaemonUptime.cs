// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Client;

/// <summary>UPTIME reply: the daemon's clock and the times it started and last recovered.</summary>
public sealed record DaemonUptime(
    DateTimeOffset CurrentTime,
    DateTimeOffset StartTime,
    DateTimeOffset LastRecoveryStarted,
    DateTimeOffset LastRecoveryFinished);
