// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport;

/// <summary>Which daemon a local cluster runs (the harness's --impl argument).</summary>
public enum DaemonKind
{
    /// <summary>Debian's ctdbd 4.17, the reference.</summary>
    Ctdb,
    /// <summary>ctdb-pcmkd, the daemon under test.</summary>
    Ours,
}
