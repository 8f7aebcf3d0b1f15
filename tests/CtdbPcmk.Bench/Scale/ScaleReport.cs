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
        s.AppendLine("One volatile database filled with records of 100 bytes spread over every node (created on their lmaster, as smbd creates them). At each count: `ctdb catdb` through node 0; the resident memory of every daemon, helpers included (VmRSS right after the traverse, then VmRSS and its anonymous part RssAnon, which leaves out the mapped database files, after 3 s idle; the ratio is of the idle figures); and the SIGKILL of the last node that is not the leader until every other node is in a new generation with recovery mode normal. Store floor: right after ours' recovery, `tests/bench/floor/recovery-store-floor.c` runs libtdb alone as the surviving nodes must, all at once: each reads its share (records/N) with a traverse, then takes records × (N−1)/N records (at least what survives) in a recovery transaction (start, wipe, store, commit) without locks; no recovery that stores them with libtdb can be faster on this machine. The node is started again before the next count; the records whose only copy was on it are gone, as volatile records are. Plots: `scale-recovery.png`, `scale-memory.png`, `scale-traverse.png`.");
        s.AppendLine();
        s.AppendLine("| nodes | records | recovery s ours | ctdbd | ctdbd/ours | store floor s | traverse s ours | ctdbd | memory MiB/node ours | ctdbd | ours/ctdbd | anon MiB/node ours | ctdbd | after catdb MiB/node ours | ctdbd |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var key in points.Where(p => p.Records > 0).Select(p => (p.Nodes, p.Records)).Distinct().OrderBy(k => k.Nodes).ThenBy(k => k.Records))
        {
            var o = points.FirstOrDefault(p => p.Daemon == "ours" && p.Nodes == key.Nodes && p.Records == key.Records);
            var c = points.FirstOrDefault(p => p.Daemon == "ctdbd" && p.Nodes == key.Nodes && p.Records == key.Records);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {key.Nodes} | {key.Records} | {F(o?.RecoverySeconds, 2)} | {F(c?.RecoverySeconds, 2)} | {Ratio(c?.RecoverySeconds, o?.RecoverySeconds)} | {F(o?.StoreFloorSeconds ?? c?.StoreFloorSeconds, 2)} | {F(o?.TraverseSeconds, 2)} | {F(c?.TraverseSeconds, 2)} | {F(o?.MeanRssMiB, 1)} | {F(c?.MeanRssMiB, 1)} | {Ratio(o?.MeanRssMiB, c?.MeanRssMiB)} | {F(o?.MeanAnonMiB, 1)} | {F(c?.MeanAnonMiB, 1)} | {F(o?.MeanRssAfterTraverseMiB, 1)} | {F(c?.MeanRssAfterTraverseMiB, 1)} |");
        }
        s.AppendLine();
        s.AppendLine("Rates, once per cluster size and daemon: the three-node benchmark's migration ring over every node and its message ring (the third round after a warm-up). Just before each daemon's rings the ring floor (`tests/bench/floor/ring-floor.c`: C relays over the same sockets that do nothing else; its two-node migration and its message hop) ran on the idle machine, so each rate can be read against the floor of the same moment: on this 2-CPU virtual machine a wake-up costs tens of microseconds when the other CPU is idle and a few when anything keeps it busy, which moves every ring, floor included, by a factor of three or more.");
        s.AppendLine();
        s.AppendLine("| nodes | migrations/s ours | floor | ctdbd | floor | messages/s ours | floor | ctdbd | floor |");
        s.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (int n in points.Select(p => p.Nodes).Distinct().Order())
        {
            var o = points.FirstOrDefault(p => p.Daemon == "ours" && p.Nodes == n);
            var c = points.FirstOrDefault(p => p.Daemon == "ctdbd" && p.Nodes == n);
            s.AppendLine(CultureInfo.InvariantCulture,
                $"| {n} | {F(o?.MigrationsPerSecond, 0)} | {F(o?.FloorMigrationsPerSecond, 0)} | {F(c?.MigrationsPerSecond, 0)} | {F(c?.FloorMigrationsPerSecond, 0)} | {F(o?.MessagesPerSecond, 0)} | {F(o?.FloorMessagesPerSecond, 0)} | {F(c?.MessagesPerSecond, 0)} | {F(c?.FloorMessagesPerSecond, 0)} |");
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
