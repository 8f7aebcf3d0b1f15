// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CtdbPcmk.Bench;

/// <summary>Turns the suite's results into the table rows and writes single-node.md and .json.</summary>
internal sealed class Report
{
    private readonly BenchSuite _suite;
    private readonly IReadOnlyList<BenchTarget> _targets;
    private readonly Dictionary<string, string> _info;

    public Report(BenchSuite suite, IReadOnlyList<BenchTarget> targets, Dictionary<string, string> info)
    {
        _suite = suite;
        _targets = targets;
        _info = info;
        Rows = BuildRows();
    }

    public List<ReportRow> Rows { get; }

    private List<ReportRow> BuildRows()
    {
        var rows = new List<ReportRow>();
        foreach (var plan in BenchPlan.All)
        {
            foreach (int n in BenchPlan.ClientCounts)
            {
                var ours = _suite.Results[(plan.Key, n, "ours")];
                var theirs = _suite.Results[(plan.Key, n, "ctdbd")];
                string prefix = $"{plan.Title}, {n} client{(n == 1 ? "" : "s")}:";
                bool latencyTarget = plan.Key is "ping" or "fetch";
                bool rateTarget = plan.Key == "trans3";
                // A control round trip with nothing done is the floor under both one-client
                // latency rows (a FETCH is such a round trip plus the record).
                double? floor = n == 1 && latencyTarget ? FloorOutcome()?.Stats?.MedianUs : null;
                rows.Add(Row($"{prefix} median latency (µs)", ours, theirs, s => s.MedianUs, latencyTarget ? TargetKind.RatioAtMost : TargetKind.None, 0.5) with { Floor = floor });
                rows.Add(Row($"{prefix} p90 latency (µs)", ours, theirs, s => s.P90Us, TargetKind.None, 0));
                rows.Add(Row($"{prefix} p99 latency (µs)", ours, theirs, s => s.P99Us, TargetKind.None, 0));
                rows.Add(Row($"{prefix} ops/s", ours, theirs, s => s.OpsPerSecond, rateTarget ? TargetKind.RatioAtLeast : TargetKind.None, 2, 0));
            }
        }
        var ro = Rss("ours");
        var rc = Rss("ctdbd");
        rows.Add(new ReportRow($"Idle RSS, {IdleDatabases.Count} DBs attached, daemon process (MB)",
            ro.Error is null ? ro.MainMB : null, ro.Error, rc.Error is null ? rc.MainMB : null, rc.Error, TargetKind.AbsoluteAtMost, 80));
        rows.Add(new ReportRow($"Idle RSS, {IdleDatabases.Count} DBs attached, daemon and its child processes (MB)",
            ro.Error is null ? ro.TreeMB : null, ro.Error, rc.Error is null ? rc.TreeMB : null, rc.Error, TargetKind.None, 0));
        return rows;
    }

    private Outcome? FloorOutcome() =>
        _suite.Results.TryGetValue(("ping", 1, BenchSuite.FloorName), out var o) ? o : null;

    private RssOutcome Rss(string name) =>
        _suite.Rss.TryGetValue(name, out var r)
            ? r
            : RssOutcome.Failed(_targets.First(t => t.Name == name).Unavailable ?? "not measured");

    private static ReportRow Row(string metric, Outcome ours, Outcome theirs, Func<LatencyStats, double> pick, TargetKind kind, double target, int decimals = 1) =>
        new(metric,
            ours.Stats is null ? null : pick(ours.Stats), ours.Error,
            theirs.Stats is null ? null : pick(theirs.Stats), theirs.Error,
            kind, target, decimals);

    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Single-node benchmark: ctdb-pcmkd (ours) vs real ctdbd 4.17");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Command: `{_info["command"]}`  ");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Date: {_info["date"]}  ");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {_info["nproc"]} CPUs ({_info["cpu"]}), kernel {_info["kernel"]}, load average at start {_info["loadavg"]}  ");
        foreach (var (k, v) in _info.Where(kv => kv.Key.StartsWith("version.", StringComparison.Ordinal)))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Version {k["version.".Length..]}: {v}  ");
        }
        sb.AppendLine();
        foreach (var t in _targets)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- **{t.Name}**: {Describe(t)}");
        }
        sb.AppendLine();
        sb.AppendLine("| metric | ours | ctdbd | ratio ours/ctdbd | target | met? |");
        sb.AppendLine("|---|---:|---:|---:|---|---|");
        var failures = new List<string>();
        foreach (var r in Rows)
        {
            string ratio = r.Ratio is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) : "—";
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Metric} | {Cell(r.Ours, r.OursError, r.Decimals, failures)} | {Cell(r.Ctdbd, r.CtdbdError, r.Decimals, failures)} | {ratio} | {r.TargetText} | {r.MetText} |");
        }
        sb.AppendLine();
        AppendFloor(sb);
        if (failures.Count > 0)
        {
            sb.AppendLine("Failures:");
            sb.AppendLine();
            for (int i = 0; i < failures.Count; i++)
            {
                sb.AppendLine(CultureInfo.InvariantCulture, $"{i + 1}. {Escape(failures[i])}");
            }
            sb.AppendLine();
        }
        sb.AppendLine("## Method");
        sb.AppendLine();
        foreach (string line in MethodNotes())
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }
        var capped = _suite.Results.Where(kv => kv.Value.Stats?.HitTimeCap == true).Select(kv => $"{kv.Key.Bench}/{kv.Key.Clients} clients/{kv.Key.Target}").ToList();
        if (capped.Count > 0)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- Cut short by the time cap (fewer samples than planned): {string.Join(", ", capped)}.");
        }
        return sb.ToString();
    }

    private void AppendFloor(StringBuilder sb)
    {
        if (FloorOutcome() is not { } floor)
        {
            return;
        }
        if (floor.Stats is not { } f)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Floor: not measured ({Escape(floor.Error ?? "no result")}).");
            sb.AppendLine();
            return;
        }
        sb.AppendLine(CultureInfo.InvariantCulture,
            $"Floor, same run and same client: a minimal C responder that answers each PING at once and does nothing else (`tests/bench/floor/control-responder.c`), 1 client: median {F(f.MedianUs)} µs, p90 {F(f.P90Us)} µs, p99 {F(f.P99Us)} µs, {f.OpsPerSecond:F0} ops/s.");
        foreach (var r in Rows.Where(r => r.Floor is not null && r.Ctdbd is not null))
        {
            double half = r.Ctdbd!.Value * r.TargetValue;
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"- {r.Metric.Replace(": median latency (µs)", "", StringComparison.Ordinal)}: the target is {F(half)} µs, {(r.BeyondFloor ? "below" : "above")} the floor's {F(f.MedianUs)} µs; {Versus(r.Ours, f.MedianUs)}.");
        }
        sb.AppendLine();
    }

    private static string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);

    private static string Versus(double? ours, double floor) => ours is not { } o
        ? "no figure for ours"
        : $"ours is {F(o)} µs, {F(Math.Abs(o - floor))} µs {(o >= floor ? "above" : "below")} it (run-to-run noise can put a daemon that adds almost nothing on either side)";

    /// <summary>A figure, or a short failure text pointing to the full one listed under the table.</summary>
    private static string Cell(double? value, string? error, int decimals, List<string> failures)
    {
        if (value is { } v)
        {
            return v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        error ??= "no result";
        int n = failures.IndexOf(error);
        if (n < 0)
        {
            failures.Add(error);
            n = failures.Count - 1;
        }
        int colon = error.IndexOf(':', StringComparison.Ordinal);
        string shortText = colon > 0 && colon <= 60 ? error[..colon] : error.Length <= 60 ? error : error[..60] + "…";
        return $"FAILED: {Escape(shortText)} [{n + 1}]";
    }

    private static string Escape(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static string Describe(BenchTarget t) =>
        t.Unavailable is not null
            ? $"{t.Unavailable} (socket {t.SocketPath ?? "none"})"
            : $"socket {t.SocketPath}, pid {t.Pid}" + (t.Name == "ctdbd" ? " (RSS is the main ctdbd process; its children are ctdb-recoverd, ctdb-eventd and the cluster-lock helper)" : "");

    private static IEnumerable<string> MethodNotes()
    {
        yield return "Both daemons run at the same time as single-node clusters on this machine, each in its own network namespace, with the same layout; one client program (CtdbPcmk.Client over the Unix socket, blocking socket, allocation-free request path) drives both.";
        foreach (var plan in BenchPlan.All)
        {
            yield return $"{plan.Title}: {BenchPlan.Rounds} rounds per client count, alternating which daemon goes first; 1 client: {plan.Warmup1} warm-up + {plan.Iterations1} timed operations per round; 16 clients (one thread and one connection each, common start barrier): {plan.Warmup16} + {plan.Iterations16} per client per round; each round capped at {plan.Cap.TotalSeconds:F0} s.";
        }
        yield return "Floor: the 1-client PING is also run against tests/bench/floor/control-responder.c (a C responder on its own Unix socket that answers each request at once and does nothing else), in the same alternation as the daemons. Like both daemons it sleeps in epoll_wait between requests (only a daemon that busy-polled, keeping a CPU busy at all times, could do better). A latency target under its median is one no daemon can meet on this machine; the table says so.";
        yield return "Latency percentiles are nearest-rank over all timed operations of all rounds; ops/s is the median over rounds of (operations / wall time from the start barrier to the last client finishing).";
        yield return "With 16 clients on 2 CPUs the median alone can mislead: a daemon that serves some connections ahead of others shows a low median and a long tail. Read it together with p90/p99 and ops/s.";
        yield return "The host is shared and was loaded during the run (load average above); figures vary by tens of percent between runs, ratios from one run are indicative.";
        yield return "FETCH: each client reads its own key of bench-fetch.tdb, written first with `ctdb writekey`; every reply's length is checked.";
        yield return "TRANS3_COMMIT: each client commits to its own persistent DB (ctdbd refuses concurrent commits on one DB); each commit carries the changed 64-byte record and `__db_sequence_number__`, both with rsn = new seqnum; the stored seqnum is checked after each round. The g_lock smbd takes around a commit is not part of this measurement.";
        yield return $"Idle RSS: {IdleDatabases.Count} databases attached first (9 volatile and 6 persistent smbd databases, plus test1..test10.tdb), 5 s idle, then VmRSS from /proc/PID/status. MB = 10^6 bytes.";
    }

    public string Json()
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            foreach (var (k, v) in _info)
            {
                w.WriteString(k, v);
            }
            w.WriteStartObject("targets");
            foreach (var t in _targets)
            {
                w.WriteStartObject(t.Name);
                w.WriteString("socket", t.SocketPath);
                if (t.Pid is { } pid)
                {
                    w.WriteNumber("pid", pid);
                }
                w.WriteString("unavailable", t.Unavailable);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartArray("rows");
            foreach (var r in Rows)
            {
                w.WriteStartObject();
                w.WriteString("metric", r.Metric);
                WriteValue(w, "ours", r.Ours, r.OursError);
                WriteValue(w, "ctdbd", r.Ctdbd, r.CtdbdError);
                WriteValue(w, "ratio", r.Ratio, null);
                w.WriteString("target", r.TargetText);
                if (r.Met is { } met)
                {
                    w.WriteBoolean("met", met);
                }
                if (r.Floor is { } floor)
                {
                    w.WriteNumber("floor", Math.Round(floor, 3));
                    w.WriteBoolean("target_beyond_floor", r.BeyondFloor);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("details");
            foreach (var ((bench, clients, target), o) in _suite.Results.OrderBy(kv => kv.Key))
            {
                w.WriteStartObject();
                w.WriteString("bench", bench);
                w.WriteNumber("clients", clients);
                w.WriteString("target", target);
                if (o.Stats is { } s)
                {
                    w.WriteNumber("samples", s.Samples);
                    w.WriteNumber("median_us", Math.Round(s.MedianUs, 2));
                    w.WriteNumber("p90_us", Math.Round(s.P90Us, 2));
                    w.WriteNumber("p99_us", Math.Round(s.P99Us, 2));
                    w.WriteNumber("ops_per_s", Math.Round(s.OpsPerSecond, 1));
                    w.WriteBoolean("hit_time_cap", s.HitTimeCap);
                }
                else
                {
                    w.WriteString("error", o.Error);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void WriteValue(Utf8JsonWriter w, string name, double? value, string? error)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Math.Round(v, 3));
        }
        else if (error is not null)
        {
            w.WriteString(name + "_error", error);
        }
        else
        {
            w.WriteNull(name);
        }
    }
}
