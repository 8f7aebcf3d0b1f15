// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Daemon.Config;
using CtdbPcmk.Server;
using Serilog.Events;

namespace CtdbPcmk.Daemon;

/// <summary>Everything the host needs to start: daemon options plus its own logging and pid file.</summary>
internal sealed record HostSettings(
    DaemonOptions Options,
    LogTarget Log,
    LogEventLevel LogLevel,
    string? PidFile,
    IReadOnlyList<string> Notices);
