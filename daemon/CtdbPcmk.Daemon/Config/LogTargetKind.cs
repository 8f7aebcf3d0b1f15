// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Daemon.Config;

/// <summary>Where the daemon logs ([logging] location).</summary>
internal enum LogTargetKind
{
    File,
    Syslog,
    Stderr,
}
