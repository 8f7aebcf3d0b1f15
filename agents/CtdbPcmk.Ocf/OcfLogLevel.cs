// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ocf;

/// <summary>Log levels, valued as syslog severities.</summary>
public enum OcfLogLevel
{
    /// <summary>Failure.</summary>
    Error = 3,
    /// <summary>Something unexpected that the agent handled.</summary>
    Warning = 4,
    /// <summary>Normal operation.</summary>
    Info = 6,
    /// <summary>Only with HA_debug set.</summary>
    Debug = 7,
}
