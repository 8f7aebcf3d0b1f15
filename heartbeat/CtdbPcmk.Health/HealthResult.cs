// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Health;

/// <summary>A health colour with the reasons for anything worse than green.</summary>
public sealed record HealthResult(HealthColor Color, IReadOnlyList<string> Reasons)
{
    /// <summary>Green without reasons.</summary>
    public static HealthResult Green { get; } = new(HealthColor.Green, []);

    /// <summary>The attribute value: green, yellow or red.</summary>
    public string Value => Color switch
    {
        HealthColor.Red => "red",
        HealthColor.Yellow => "yellow",
        _ => "green",
    };

    /// <summary>One result with the given colour and reason.</summary>
    public static HealthResult Of(HealthColor color, string reason) => new(color, [reason]);

    /// <summary>The worst colour of all results, with every reason.</summary>
    public static HealthResult Combine(IEnumerable<HealthResult> results)
    {
        var color = HealthColor.Green;
        var reasons = new List<string>();
        foreach (var r in results)
        {
            if (r.Color > color)
            {
                color = r.Color;
            }
            reasons.AddRange(r.Reasons);
        }
        return new HealthResult(color, reasons);
    }

    /// <summary>"green", or e.g. "red: memory 93% used (critical 90%); ...".</summary>
    public override string ToString() => Reasons.Count == 0 ? Value : $"{Value}: {string.Join("; ", Reasons)}";
}
