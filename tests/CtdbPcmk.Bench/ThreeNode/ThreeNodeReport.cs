// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>Writes three-node.md and three-node.json from the suite's results.</summary>
internal sealed class ThreeNodeReport
{
    private const string NotApplicable = "n/a";
    private readonly ThreeNodeSuite _suite;
    private readonly IReadOnlyList<ThreeNodeTarget> _targets;
    private readonly Dictionary<string, string> _info;

    public ThreeNodeReport(ThreeNodeSuite suite, IReadOnlyList<ThreeNodeTarget> targets, Dictionary<string, string> info)
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
        foreach (var (key, title, _) in ThreeNodeSuite.Micro)
        {
            var o = _suite.MicroResults[(key, "ours")];
            var c = _suite.MicroResults[(key, "ctdbd")];
            bool rateTarget = key != "forwarded-ping";
            string unit = key.StartsWith("migration", StringComparison.Ordinal) ? "migrations/s" : key.StartsWith("message", StringComparison.Ordinal) ? "messages/s" : "ops/s";
            string per = key.StartsWith("migration", StringComparison.Ordinal) ? "per migration" : key.StartsWith("message", StringComparison.Ordinal) ? "per hop" : "";
            double? floor = RingFloor.Bounds.TryGetValue(key, out var bound) && _suite.Floor?.TryGetValue(bound, out var f) == true ? f.OpsPerSecond : null;
            rows.Add(Row($"{title}: {unit}", o, c, s => s.OpsPerSecond, rateTarget ? TargetKind.RatioAtLeast : TargetKind.None, 2, 0) with { Floor = floor });
            rows.Add(Row($"{title}: median latency {per} (µs)".Replace("  ", " ", StringComparison.Ordinal), o, c, s => s.MedianUs, TargetKind.None, 0));
            rows.Add(Row($"{title}: p99 latency {per} (µs)".Replace("  ", " ", StringComparison.Ordinal), o, c, s => s.P99Us, TargetKind.None, 0));
        }
        var nlO = _suite.RecoveryResults[(false, "ours")];
        var nlC = _suite.RecoveryResults[(false, "ctdbd")];
        var lO = _suite.RecoveryResults[(true, "ours")];
        var lC = _suite.RecoveryResults[(true, "ctdbd")];
        rows.Add(new ReportRow($"Stable after SIGKILL of a non-leader (s, median of {_suite.RecoveryRuns})",
            nlO.Error is null ? nlO.MedianFromKill : null, nlO.Error, nlC.Error is null ? nlC.MedianFromKill : null, nlC.Error, TargetKind.RatioAtMost, 0.5, 3));
        rows.Add(new ReportRow($"Stable after SIGKILL of the leader, from the kill (s, median of {_suite.RecoveryRuns})",
            lO.Error is null ? lO.MedianFromKill : null, lO.Error, lC.Error is null ? lC.MedianFromKill : null, lC.Error, TargetKind.None, 0, 3));
        rows.Add(new ReportRow($"Stable after SIGKILL of the leader, from the new leader taking the role (s, median of {_suite.RecoveryRuns})",
            lO.Error is null ? lO.MedianFromLeaderRole : null, lO.Error, null, NotApplicable, TargetKind.AbsoluteAtMost, 1.0, 3));
        rows.Add(new ReportRow($"Stable after SIGKILL of the leader, from the start of `local-daemons DIR leader PNN` (s, median of {_suite.RecoveryRuns})",
            lO.Error is null ? lO.MedianFromLeaderCommand : null, lO.Error, null, NotApplicable, TargetKind.None, 0, 3));
        return rows;
    }

    private static ReportRow Row(string metric, Outcome ours, Outcome theirs, Func<LatencyStats, double> pick, TargetKind kind, double target, int decimals = 1) =>
        new(metric, ours.Stats is null ? null : pick(ours.Stats), ours.Error, theirs.Stats is null ? null : pick(theirs.Stats), theirs.Error, kind, target, decimals);

    public string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Three-node benchmark: ctdb-pcmkd (ours) vs real ctdbd 4.17");
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
            sb.AppendLine(CultureInfo.InvariantCulture, $"- **{t.Name}**: {(t.Unavailable is null ? $"3 nodes in {t.Cluster?.Directory}" : t.Unavailable)}");
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
        sb.AppendLine("Recovery runs (s from the kill; for ours after a leader kill, in brackets, from the start of the leader command / from the new leader reporting the role):");
        sb.AppendLine();
        foreach (var ((leader, target), o) in _suite.RecoveryResults.OrderBy(kv => kv.Key.Leader).ThenBy(kv => kv.Key.Target, StringComparer.Ordinal))
        {
            string runs = string.Join(", ", o.Runs.Select(r => r.FromKill.ToString("F3", CultureInfo.InvariantCulture) +
                (r.FromLeaderCommand is { } l ? $" ({l.ToString("F3", CultureInfo.InvariantCulture)} / {r.FromLeaderRole?.ToString("F3", CultureInfo.InvariantCulture) ?? "not seen"})" : "")));
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {(leader ? "leader" : "non-leader")} {target}: {(runs.Length > 0 ? runs : "none")}{(o.Error is null ? "" : " — stopped: " + Escape(o.Error))}");
        }
        sb.AppendLine();
        sb.AppendLine("## Method");
        sb.AppendLine();
        foreach (string line in MethodNotes())
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"- {line}");
        }
        return sb.ToString();
    }

    private void AppendFloor(StringBuilder sb)
    {
        if (_suite.FloorError is { } error)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"Floor: not measured ({Escape(error)}).");
            sb.AppendLine();
        }
        if (_suite.Floor is not { } floor)
        {
            return;
        }
        sb.AppendLine("Floor, same run: `tests/bench/floor/ring-floor.c` passes the same hops over the same kinds of sockets (Unix to the client, TCP over loopback between three relay processes, one epoll thread each) and does nothing else at each hop; its single driver thread stands for the benchmark's client thread. With one message or migration in flight the rate is one over the latency, so no daemon can go faster than this here. The stream's floor bounds it from above only: its driver threads do less per message than the benchmark's client (no checks, no allocation), and with many messages in flight the client's share of the 2 CPUs counts:");
        sb.AppendLine();
        sb.AppendLine("| floor measurement | median latency (µs) | p99 latency (µs) | rate (/s) |");
        sb.AppendLine("|---|---:|---:|---:|");
        foreach (var (name, f) in floor)
        {
            string median = f.MedianUs > 0 ? f.MedianUs.ToString("F1", CultureInfo.InvariantCulture) : "—";
            string p99 = f.P99Us > 0 ? f.P99Us.ToString("F1", CultureInfo.InvariantCulture) : "—";
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {median} | {p99} | {f.OpsPerSecond:F0} |");
        }
        sb.AppendLine();
        foreach (var r in Rows.Where(r => r.Floor is not null && r.Ctdbd is not null))
        {
            double target = r.Ctdbd!.Value * r.TargetValue;
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"- {r.Metric}: the target is {target:F0}/s, {(r.BeyondFloor ? "beyond" : "within")} the floor's {r.Floor:F0}/s; ours reaches {(r.Ours is { } o ? (o / r.Floor!.Value * 100).ToString("F0", CultureInfo.InvariantCulture) + "% of the floor" : "no figure")}.");
        }
        if (Rows.Any(r => r.Floor is { } fl && r.Ours is { } o && o > fl))
        {
            sb.AppendLine("- Above 100%: the floor runs after the micro benchmarks, not between their rounds, and the host's load changes within seconds; a daemon that adds almost nothing to a hop lands on either side of it.");
        }
        sb.AppendLine();
    }

    private static string Cell(double? value, string? error, int decimals, List<string> failures)
    {
        if (value is { } v)
        {
            return v.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }
        if (error == NotApplicable)
        {
            return NotApplicable;
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

    private IEnumerable<string> MethodNotes()
    {
        yield return "Both daemons run at the same time as three-node clusters of tests/local-daemons (nodes 127.0.0.1-3 in a namespace of their own, the same layout); one client program (CtdbPcmk.Client over the nodes' Unix sockets) drives both. For ours the harness gives node 0 the leader role at start (`local-daemons DIR leader 0`), as Pacemaker would; ctdbd elects its own.";
        yield return $"Micro benchmarks: {ThreeNodeSuite.Rounds} rounds each, alternating which daemon goes first, after an untimed warm-up; each round capped at 5 s. Latency percentiles are nearest-rank over all timed operations of all rounds; rates are the median over rounds of operations / wall time.";
        yield return $"Forwarded control: {ForwardedPing.Iterations} PINGs per round with destination node 1, sent by one client connected to node 0.";
        yield return $"Migration ring: one record of a volatile database (written first with `ctdb writekey`), one client per node taking it in turn with REQ_CALL FETCH_FUNC and CTDB_IMMEDIATE_MIGRATION (as smbd's fetch-locked moves a record), {MigrationRing.Iterations} calls per round, each one a migration; every reply's value is checked, and after each round the record's header on the last node must show that node as dmaster with the rsn advanced by at least the number of calls. \"lmaster one of them\": the key hashes to node 0 or 1, so each request goes straight to the dmaster; \"lmaster the third node\": every request is routed through node 2 (the ctdbd baseline figures of ~66 µs and ~100 µs are these two cases).";
        yield return $"Message ring: one message passed 0 → 1 → 2 → 0 ({MessageRing.Iterations} hops per round), each hop a REQ_MESSAGE from a client of one node to the srvid a client of the next node registered, timed from send to receipt; every payload's hop number is checked.";
        yield return $"Message ring with {MessageStream.InFlight} messages in flight: the same ring carrying {MessageStream.InFlight} messages at once (as many smbd processes message each other), one receiving thread per node that checks each message's number and hop count and passes it on through its own node's daemon; {MessageStream.Hops} hops per round; latency per hop includes queueing behind the other messages. It measures what the daemons carry, where the one-message ring measures the latency of a hop.";
        yield return "Floor: after the micro benchmarks tests/bench/floor/ring-floor.c runs the message hop, both two-node migration paths and the stream with 16 messages in flight (5 rounds of 3000 hops, 2000 migrations or 30000 stream hops after a warm-up, as above) between C relays that only pass the bytes on (reading all a socket holds and writing what each peer is owed once per wakeup, as the daemons batch). A three-node ring's migrations take at least the two-node path (a request to the dmaster and the record back, over TCP, plus the client's Unix hops), so the two-node floor bounds it too. Like both daemons, the relays sleep in epoll_wait between packets; only a daemon that busy-polled, keeping a CPU per node busy at all times, could go under the floor.";
        yield return $"Recovery: {_suite.RecoveryRuns} runs per case and daemon, alternating daemons. Timed from the start of `local-daemons DIR kill PNN` (SIGKILL by its recorded PID; for ours after a leader kill the harness then runs `local-daemons DIR leader PNN` for a survivor, which starts a .NET process that sends the role control, and returns once the recovery it starts is over; the figures from the new leader taking the role are timed from the first poll (every 10 ms) in which that survivor reports itself leader in a new term (PCMK_GET_LEADER_STATE)) until the survivors are stable, polled every 10 ms over kept connections: every survivor in recovery mode NORMAL (GET_RECMODE), one common generation different from before (GETVNNMAP), the victim DISCONNECTED and the survivors active in every survivor's node map (GET_NODEMAP), and then a record written with `ctdb writekey` on one survivor is fetched with its new value through the other. The victim is restarted and the full cluster waited for between runs (untimed); before each kill ctdbd gets {ThreeNodeSuite.CtdbSettle.TotalSeconds:F0} s after its last recovery (its RerecoveryTimeout of 10 s would otherwise delay the measured recovery), ours {ThreeNodeSuite.OursSettle.TotalSeconds:F0} s.";
        yield return "The host is shared (2 CPUs, other work running: load average above); figures vary by tens of percent between runs.";
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
            w.WriteStartArray("rows");
            foreach (var r in Rows)
            {
                w.WriteStartObject();
                w.WriteString("metric", r.Metric);
                Value(w, "ours", r.Ours, r.OursError);
                Value(w, "ctdbd", r.Ctdbd, r.CtdbdError);
                Value(w, "ratio", r.Ratio, null);
                w.WriteString("target", r.TargetText);
                if (r.Met is { } met)
                {
                    w.WriteBoolean("met", met);
                }
                if (r.Floor is { } floor)
                {
                    w.WriteNumber("floor", Math.Round(floor, 1));
                    w.WriteBoolean("target_beyond_floor", r.BeyondFloor);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("recovery_runs");
            foreach (var ((leader, target), o) in _suite.RecoveryResults)
            {
                w.WriteStartObject();
                w.WriteString("victim", leader ? "leader" : "non-leader");
                w.WriteString("target", target);
                w.WriteStartArray("from_kill_s");
                foreach (var r in o.Runs)
                {
                    w.WriteNumberValue(Math.Round(r.FromKill, 4));
                }
                w.WriteEndArray();
                w.WriteStartArray("from_leader_command_s");
                foreach (var r in o.Runs.Where(r => r.FromLeaderCommand is not null))
                {
                    w.WriteNumberValue(Math.Round(r.FromLeaderCommand!.Value, 4));
                }
                w.WriteEndArray();
                w.WriteStartArray("from_leader_role_s");
                foreach (var r in o.Runs.Where(r => r.FromLeaderRole is not null))
                {
                    w.WriteNumberValue(Math.Round(r.FromLeaderRole!.Value, 4));
                }
                w.WriteEndArray();
                w.WriteString("error", o.Error);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void Value(Utf8JsonWriter w, string name, double? value, string? error)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Math.Round(v, 4));
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
