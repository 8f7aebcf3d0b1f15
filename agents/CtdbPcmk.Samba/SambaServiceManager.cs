// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>Who starts and stops the daemons (parameter service_manager).</summary>
internal enum SambaServiceManager
{
    /// <summary>The agent itself, each daemon in a session of its own.</summary>
    Direct,

    /// <summary>systemd, through its D-Bus API, with the units of systemd_units.</summary>
    Systemd,
}
