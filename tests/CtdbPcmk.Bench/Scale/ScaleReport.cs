// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text;

namespace CtdbPcmk.Bench.Scale;

/// <summary>The scale benchmark's markdown table, ratios to ctdbd, and three plots (PNG, records on a log axis).</summary>
internal static class ScaleReport
{
    public static string Write(string dir, List<ScalePoint> points, Dictionary<string, string> info)
    {
        Plot(Path.Combine(dir, "scale-recovery.png"), points, "Recovery after the loss of a node", "seconds", p => p.RecoverySeconds);
        Plot(Path.Combine(dir, "scale-memory.png"), points, "Resident memory per node (mean)", "MiB", p => p.MeanRssMiB);
        Plot(Path.Combine(dir, "scale-traverse.png"), points, "Traverse of the database (ctdb catdb)", "seconds", p => p.TraverseSeconds);
        string md = Markdown(points, info);
        File.WriteAllText(Path.Combine(dir, "scale.md"), md);
        return md;
    }

    private static string Markdown(List<ScalePoint> points, Dictionary<string, string> info)
    {
        var s = new StringBuilder();
        CommandOptions.AppendHeader(s, "Scale: ctdb-pcmkd and ctdbd 4.17 by cluster size and records", info);
        s.AppendLine("One volatile database filled with records of 100 bytes spread over every node (created on their lmaster, as smbd creates them). At each count: `ctdb catdb` through node 0, the resident memory of every daemon (helpers included), and the SIGKILL of the last node that is not the leader until every other node is in a new generation with recovery mode normal. The node is started again before the next count; the records whose only copy was on it are gone, as volatile records are. Migration and message rates: the three-node benchmark's rings over every node, once per cluster size (the third round after a warm-up; one round, so less steady than the three-node benchmark's medians). Plots: `scale-recovery.png`, `scale-memory.png`, `scale-traverse.png`.");
        s.AppendLine();
        s.AppendLine("| nodes | records | recovery s ours | ctdbd | ctdbd/ours | traverse s ours | ctdbd | memory MiB/node ours | ctdbd | ours/ctdbd | migrations/s ours | ctdbd | messages/s ours | ctdbd |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var key in points.Where(p => p.Records > 0).Select(p => (p.Nodes, p.Records)).Distinct().OrderBy(k => k.Nodes).ThenBy(k => k.Records))
        {
            var o = points.FirstOrDefault(p => p.Daemon == "ours" && p.Nodes == key.Nodes && p.Records == key.Records);
            var c = points.FirstOrDefault(p => p.Daemon == "ctdbd" && p.Nodes == key.Nodes && p.Records == key.Records);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {key.Nodes} | {key.Records} | {F(o?.RecoverySeconds, 2)} | {F(c?.RecoverySeconds, 2)} | {Ratio(c?.RecoverySeconds, o?.RecoverySeconds)} | {F(o?.TraverseSeconds, 2)} | {F(c?.TraverseSeconds, 2)} | {F(o?.MeanRssMiB, 1)} | {F(c?.MeanRssMiB, 1)} | {Ratio(o?.MeanRssMiB, c?.MeanRssMiB)} | {F(o?.MigrationsPerSecond, 0)} | {F(c?.MigrationsPerSecond, 0)} | {F(o?.MessagesPerSecond, 0)} | {F(c?.MessagesPerSecond, 0)} |");
        }
        var errors = points.Where(p => p.Error is not null).ToList();
        if (errors.Count != 0)
        {
            s.AppendLine();
            foreach (var p in errors)
            {
                s.AppendLine(CultureInfo.InvariantCulture, $"- {p.Daemon}, {p.Nodes} nodes, {p.Records} records: {p.Error}");
            }
        }
        return s.ToString();
    }

    private static string F(double? v, int digits) => v is { } x ? x.ToString("F" + digits, CultureInfo.InvariantCulture) : "–";

    private static string Ratio(double? a, double? b) => a is { } x && b is { } y && y > 0 ? (x / y).ToString("F2", CultureInfo.InvariantCulture) : "–";

    private static void Plot(string path, List<ScalePoint> points, string title, string unit, Func<ScalePoint, double?> value)
    {
        var plot = new ScottPlot.Plot();
        foreach (var group in points.Where(p => p.Records > 0 && value(p) is not null).GroupBy(p => (p.Daemon, p.Nodes)).OrderBy(g => g.Key.Daemon).ThenBy(g => g.Key.Nodes))
        {
            var ordered = group.OrderBy(p => p.Records).ToArray();
            var line = plot.Add.Scatter(ordered.Select(p => Math.Log10(p.Records)).ToArray(), ordered.Select(p => value(p)!.Value).ToArray());
            line.LegendText = $"{group.Key.Daemon}, {group.Key.Nodes} nodes";
            line.LinePattern = group.Key.Daemon == "ours" ? ScottPlot.LinePattern.Solid : ScottPlot.LinePattern.Dashed;
        }
        double[] ticks = [.. points.Where(p => p.Records > 0).Select(p => Math.Log10(p.Records)).Distinct().Order()];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks,
            [.. ticks.Select(t => Math.Pow(10, t).ToString("N0", CultureInfo.InvariantCulture))]);
        plot.Axes.Bottom.Label.Text = "records";
        plot.Axes.Left.Label.Text = unit;
        plot.Title(title);
        plot.ShowLegend();
        plot.SavePng(path, 900, 560);
    }
}
