// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>
/// ctdbpcmk-bench node-auth --out DIR --work DIR [--info KEY=VALUE]...
/// The cost of authenticated node links: three three-node clusters in one run, ours without a
/// node key (WORK/ours3), ours with one (WORK/ours3key) and ctdbd 4.17 (WORK/ctdb3), measured
/// with the three-node benchmark's message and migration rings, rounds alternating between the
/// clusters. Writes DIR/node-auth.md and .json. Exit 0 when both of ours were measured.
/// </summary>
internal static class NodeAuthCommand
{
    private static readonly string[] s_benches = ["forwarded-ping", "migration-2", "migration-3", "message-ring", "message-stream"];

    /// <summary>The overhead the key may cost on the rates (ours with key against ours without).</summary>
    private const double MaxOverhead = 0.10;

    public static int Run(string[] args)
    {
        var options = CommandOptions.Parse(args, "out", "work");
        string? outDir = options.Get("out");
        string? work = options.Get("work");
        var info = options.Info;
        if (outDir is null || work is null)
        {
            throw new ArgumentException("node-auth needs --out DIR and --work DIR");
        }
        info["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        info["nproc"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture);
        info["loadavg"] = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        info["version.runtime"] = RuntimeInformation.FrameworkDescription;

        var targets = new List<ThreeNodeTarget>
        {
            new("ours", DaemonKind.Ours),
            new("ours+key", DaemonKind.Ours) { NodeKey = true },
            new("ctdbd", DaemonKind.Ctdb),
        };
        try
        {
            foreach (var t in targets)
            {
                Start(t, work);
            }
            var suite = new ThreeNodeSuite(targets, 1);
            suite.RunMicroOnly(s_benches);
            var (markdown, json, ok) = Report(suite, targets, info);
            Directory.CreateDirectory(outDir);
            File.WriteAllText(Path.Combine(outDir, "node-auth.md"), markdown);
            File.WriteAllText(Path.Combine(outDir, "node-auth.json"), json);
            Console.WriteLine(markdown);
            return ok ? 0 : 1;
        }
        finally
        {
            foreach (var t in targets)
            {
                try
                {
                    t.Cluster?.Dispose();
                }
                catch (InvalidOperationException e)
                {
                    ThreeNodeSuite.Log($"{t.Name}: {e.Message}");
                }
            }
        }
    }

    private static void Start(ThreeNodeTarget t, string work)
    {
        string dir = Path.Combine(work, t.Daemon == DaemonKind.Ctdb ? "ctdb3" : t.NodeKey ? "ours3key" : "ours3");
        try
        {
            t.Cluster = LocalCluster.Start(t.Daemon, 3, ClusterReadiness.Stable, TimeSpan.FromSeconds(90), dir, nodeKey: t.NodeKey);
            ThreeNodeSuite.Log($"{t.Name}: 3 nodes stable in {dir}");
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            t.Unavailable = $"cluster did not start: {e.Message.Split('\n')[0]}";
            ThreeNodeSuite.Log($"{t.Name}: cluster did not start: {e.Message}");
        }
    }

    private static (string Markdown, string Json, bool Ok) Report(ThreeNodeSuite suite, List<ThreeNodeTarget> targets, Dictionary<string, string> info)
    {
        var md = new StringBuilder();
        var json = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        md.Append("# Node link authentication: ours without and with a node key, ctdbd 4.17 beside\n\n");
        foreach (var (k, v) in info.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            md.Append(inv, $"- {k}: {v}\n");
        }
        md.Append(inv, $"\nRates are the median of {ThreeNodeSuite.Rounds} rounds per cluster, rounds alternating between the clusters. ")
            .Append(inv, $"Overhead = 1 − (ours+key / ours); goal: at most {MaxOverhead:P0} on the message and migration rates.\n\n")
            .Append("| measurement | ours /s | ours+key /s | ctdbd /s | overhead of the key | ours median µs | ours+key median µs | ctdbd median µs | goal met? |\n")
            .Append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
        json.Append("{\n  \"info\": {");
        json.Append(string.Join(",", info.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"\n    \"{kv.Key}\": \"{kv.Value.Replace("\"", "\\\"", StringComparison.Ordinal)}\"")));
        json.Append("\n  },\n  \"rows\": [");
        bool ok = true;
        bool first = true;
        foreach (var (key, title, _) in ThreeNodeSuite.Micro.Where(m => s_benches.Contains(m.Key)))
        {
            LatencyStats? Stats(string name) => suite.MicroResults.TryGetValue((key, name), out var o) ? o.Stats : null;
            var plain = Stats("ours");
            var keyed = Stats("ours+key");
            var ctdbd = Stats("ctdbd");
            ok &= plain is not null && keyed is not null;
            double? overhead = plain is not null && keyed is not null ? 1 - keyed.OpsPerSecond / plain.OpsPerSecond : null;
            bool rate = key != "forwarded-ping";
            string met = overhead is null ? "n/a" : !rate ? "" : overhead <= MaxOverhead ? "yes" : "NO";
            string F(LatencyStats? s, Func<LatencyStats, double> f, string format) => s is null ? "n/a" : f(s).ToString(format, inv);
            md.Append(inv, $"| {title} | {F(plain, s => s.OpsPerSecond, "F0")} | {F(keyed, s => s.OpsPerSecond, "F0")} | {F(ctdbd, s => s.OpsPerSecond, "F0")} | ")
                .Append(overhead is null ? "n/a" : overhead.Value.ToString("P1", inv))
                .Append(inv, $" | {F(plain, s => s.MedianUs, "F1")} | {F(keyed, s => s.MedianUs, "F1")} | {F(ctdbd, s => s.MedianUs, "F1")} | {met} |\n");
            json.Append(first ? "" : ",").Append(inv,
                $"\n    {{\"key\": \"{key}\", \"ours\": {N(plain?.OpsPerSecond)}, \"ours_key\": {N(keyed?.OpsPerSecond)}, \"ctdbd\": {N(ctdbd?.OpsPerSecond)}, \"overhead\": {N(overhead)}}}");
            first = false;
        }
        foreach (var t in targets.Where(t => t.Unavailable is not null))
        {
            md.Append(inv, $"\n{t.Name}: {t.Unavailable}\n");
        }
        json.Append("\n  ]\n}\n");
        return (md.ToString(), json.ToString(), ok);
    }

    private static string N(double? v) => v is null ? "null" : v.Value.ToString("R", CultureInfo.InvariantCulture);
}
