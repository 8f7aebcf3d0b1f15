// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Health;

/// <summary>
/// Usage limits in percent, as ctdb's 05.system event script takes them: at or above
/// <see cref="Warn"/> the node is yellow, at or above <see cref="Critical"/> red. 0 switches a
/// limit off.
/// </summary>
public readonly record struct Thresholds(int Warn, int Critical)
{
    /// <summary>Checks the range (0-100 each; a warning above the critical limit is refused).</summary>
    public static Thresholds Create(int warn, int critical)
    {
        if (warn is < 0 or > 100 || critical is < 0 or > 100)
        {
            throw new FormatException($"thresholds must be percentages 0-100, not {warn}:{critical}");
        }
        if (warn > 0 && critical > 0 && warn > critical)
        {
            throw new FormatException($"warning threshold {warn}% is above the critical threshold {critical}%");
        }
        return new Thresholds(warn, critical);
    }

    /// <summary>The colour of a usage (percent).</summary>
    public HealthColor Evaluate(double usedPercent) =>
        Critical > 0 && usedPercent >= Critical ? HealthColor.Red
        : Warn > 0 && usedPercent >= Warn ? HealthColor.Yellow
        : HealthColor.Green;

    /// <summary>A result for <paramref name="what"/> at <paramref name="usedPercent"/>.</summary>
    public HealthResult Result(string what, double usedPercent)
    {
        var color = Evaluate(usedPercent);
        var used = Math.Floor(usedPercent).ToString(CultureInfo.InvariantCulture);
        return color switch
        {
            HealthColor.Red => HealthResult.Of(color, $"{what} {used}% used (critical {Critical}%)"),
            HealthColor.Yellow => HealthResult.Of(color, $"{what} {used}% used (warning {Warn}%)"),
            _ => HealthResult.Green,
        };
    }
}
