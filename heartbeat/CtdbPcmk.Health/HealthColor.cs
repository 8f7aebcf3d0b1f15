// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Health;

/// <summary>Node health as Pacemaker's #health-* attributes spell it, ordered by severity.</summary>
public enum HealthColor
{
    /// <summary>Healthy.</summary>
    Green,
    /// <summary>At risk: a warning threshold is crossed.</summary>
    Yellow,
    /// <summary>Unhealthy: with node-health-strategy=migrate-on-red, resources leave the node.</summary>
    Red,
}
