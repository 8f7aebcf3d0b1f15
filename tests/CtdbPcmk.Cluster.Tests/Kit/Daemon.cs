// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.ClusterKit;

/// <summary>Which daemon a cluster runs (the harness's --impl argument).</summary>
public enum Daemon
{
    /// <summary>Debian's ctdbd 4.17, the reference.</summary>
    Ctdb,
    /// <summary>ctdb-pcmkd.</summary>
    Ours,
}
