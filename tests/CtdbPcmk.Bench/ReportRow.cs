// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Bench;

/// <summary>How a row's target is judged.</summary>
internal enum TargetKind
{
    None,
    /// <summary>ours / ctdbd must be at most the target value (latency).</summary>
    RatioAtMost,
    /// <summary>ours / ctdbd must be at least the target value (rate).</summary>
    RatioAtLeast,
    /// <summary>ours must be at most the target value.</summary>
    AbsoluteAtMost,
}

/// <summary>One line of the results table.</summary>
internal sealed record ReportRow(
    string Metric,
    double? Ours,
    string? OursError,
    double? Ctdbd,
    string? CtdbdError,
    TargetKind Kind,
    double TargetValue,
    int Decimals = 1,
    double? Floor = null)
{
    /// <summary>
    /// True when the target lies beyond the floor measured in the same run (a latency under it,
    /// or a rate over it): no daemon could meet it here.
    /// </summary>
    public bool BeyondFloor => Floor is { } f && Ctdbd is { } c && Kind switch
    {
        TargetKind.RatioAtMost => c * TargetValue < f,
        TargetKind.RatioAtLeast => c * TargetValue > f,
        _ => false,
    };

    public double? Ratio => Ours is { } o && Ctdbd is { } c && c > 0 ? o / c : null;

    public string TargetText => Kind switch
    {
        TargetKind.RatioAtMost => $"≤ {TargetValue.ToString("0.##", CultureInfo.InvariantCulture)} × ctdbd",
        TargetKind.RatioAtLeast => $"≥ {TargetValue.ToString("0.##", CultureInfo.InvariantCulture)} × ctdbd",
        TargetKind.AbsoluteAtMost => $"≤ {TargetValue.ToString("0.##", CultureInfo.InvariantCulture)}",
        _ => "",
    };

    /// <summary>true/false when the target can be judged, null when there is no target or no ctdbd figure.</summary>
    public bool? Met => Kind switch
    {
        TargetKind.RatioAtMost => Ours is null ? false : Ratio is { } r ? r <= TargetValue : null,
        TargetKind.RatioAtLeast => Ours is null ? false : Ratio is { } r ? r >= TargetValue : null,
        TargetKind.AbsoluteAtMost => Ours is { } o && o <= TargetValue,
        _ => null,
    };

    public string MetText => Kind == TargetKind.None
        ? ""
        : Met switch
        {
            true => "yes",
            false when Ours is null => "NO (no figure for ours)",
            false when BeyondFloor => "NO (beyond the floor)",
            false => "NO",
            null => "unknown (no ctdbd figure)",
        };
}
