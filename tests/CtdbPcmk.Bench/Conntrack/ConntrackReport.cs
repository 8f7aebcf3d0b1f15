// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>Everything the conntrack benchmark measured, as conntrack.md and conntrack.json.</summary>
internal sealed class ConntrackReport
{
    public const double EventsGoal = 50_000;
    public const double TickleGoalMs = 100;

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public Dictionary<string, string> Info { get; } = new();
    public List<ReplayPhase> Replay { get; } = [];
    public int ReplayLeftOnNode1 { get; set; } = -1;
    public string ReplaySource { get; set; } = "";
    public List<ChurnResult> Churns { get; } = [];
    public BurstResult? Burst { get; set; }
    public List<LatencyResult> Latency { get; } = [];
    public List<TickleWay> Tickles { get; } = [];
    public int TickleCount { get; set; }
    public List<SideBySideResult> SideBySide { get; } = [];
    public int TickleUpdateInterval { get; set; }
    public List<string> Failures { get; } = [];

    private static string F(double v, string format = "F0") => v.ToString(format, CultureInfo.InvariantCulture);

    public List<GoalRow> Goals()
    {
        var rows = new List<GoalRow>();
        foreach (var p in Replay.Where(p => !p.Name.Contains("fixed", StringComparison.Ordinal)))
        {
            rows.Add(new GoalRow($"replay, {p.Name}: events/s the tracker processes and writes", F(p.EventsPerSecond), "≥ 50,000/s",
                p.EventsPerSecond / EventsGoal, p.EventsPerSecond >= EventsGoal ? "met" : "missed"));
        }
        if (Replay.FirstOrDefault(p => p.Name.Contains("fixed", StringComparison.Ordinal)) is { } fixedRate)
        {
            bool kept = fixedRate.EventsPerSecond >= 0.98 * EventsGoal;
            rows.Add(new GoalRow($"replay at 50,000 events/s: tracker CPU (core fraction)", $"{F(fixedRate.TrackerCores, "F2")} core at {F(fixedRate.EventsPerSecond)}/s", "< 1 core",
                fixedRate.TrackerCores, fixedRate.TrackerCores < 1 && kept ? "met" : kept ? "missed" : "missed (rate not kept)"));
        }
        foreach (var c in Churns)
        {
            string label = c == Churns[0] ? "real churn, fastest" : $"real churn, {c.Threads} client thread{(c.Threads == 1 ? "" : "s")}";
            rows.Add(new GoalRow($"{label} ({F(c.MadePerSecond)} connections/s made): connections missed", $"{c.Missed} of {c.Made} (seen {c.Seen}, overruns {c.Overruns})", "0",
                null, c.Missed == 0 ? "met" : "missed"));
            rows.Add(new GoalRow($"{label}: stale entries left in node 1's list", c.StaleNode1.ToString(CultureInfo.InvariantCulture), "0", null, c.StaleNode1 == 0 ? "met" : "missed"));
        }
        if (Burst is { } b)
        {
            rows.Add(new GoalRow($"burst of {b.Made:N0} kept-open connections ({F(b.MadePerSecond)}/s): client endpoints missing from node 1's list", $"{b.Missing} (overruns {b.Overruns}; {b.StaleNode1} left after all closed)", "0",
                null, b.Missing == 0 && b.StaleNode1 == 0 ? "met" : "missed"));
        }
        foreach (var l in Latency)
        {
            rows.Add(new GoalRow($"SYN → visible on node 1, commit_interval {F(l.CommitInterval, "0.###")} s (max of {l.Milliseconds.Count})",
                $"{F(l.Max, "F1")} ms (median {F(l.Median, "F1")}, p95 {F(l.P95, "F1")})", $"≤ {F(l.GoalMs)} ms", l.Max / l.GoalMs, l.Max <= l.GoalMs ? "met" : "missed"));
        }
        var ours = Tickles.FirstOrDefault(t => t.Name == "ours");
        var floor = Tickles.FirstOrDefault(t => t.Name == "floor");
        if (ours?.Median is { } o)
        {
            double? f = floor?.Median;
            bool met = o < TickleGoalMs || (f is { } fl && o <= 1.15 * fl);
            string viaFloor = f is { } fl2 ? $"; floor {F(fl2, "F1")} ms, ours ÷ floor {F(o / fl2, "F2")}" : "";
            rows.Add(new GoalRow($"{TickleCount:N0} clients tickled after takeover: first round (median)", $"{F(o, "F1")} ms{viaFloor}",
                "< 100 ms (or within 15 % of the floor)", o / TickleGoalMs, met ? "met" : "missed"));
        }
        return rows;
    }

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# Connection tracker: events per second, latency, tickles, beside ctdbd 4.17 and tickle_tcp");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Command: `{Info.GetValueOrDefault("command")}`  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Date: {Info.GetValueOrDefault("date")}  ");
        md.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Info.GetValueOrDefault("nproc")} CPUs ({Info.GetValueOrDefault("cpu")}), kernel {Info.GetValueOrDefault("kernel")}, load average at start {Info.GetValueOrDefault("loadavg")}  ");
        foreach (var (k, v) in Info.Where(kv => kv.Key.StartsWith("version.", StringComparison.Ordinal) || kv.Key == "configuration"))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"{k}: {v}  ");
        }
        md.AppendLine();
        md.AppendLine("## Goals");
        md.AppendLine();
        md.AppendLine("Ratio is the figure divided by the goal's number.");
        md.AppendLine();
        md.AppendLine("| goal | figure | target | ratio | verdict |");
        md.AppendLine("|---|---:|---|---:|---|");
        foreach (var g in Goals())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {g.Goal} | {g.Figure} | {g.Target} | {(g.Ratio is { } r ? F(r, "F2") : "")} | {g.Verdict} |");
        }
        if (Failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("Parts that failed in this run (no figure):");
            foreach (var f in Failures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- {f}");
            }
        }
        Sections(md);
        return md.ToString();
    }

    private void Sections(StringBuilder md)
    {
        if (Replay.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## a. Replay of the kernel's messages");
            md.AppendLine();
            md.AppendLine(ReplaySource);
            md.AppendLine();
            md.AppendLine("| phase | events | wall (ms) | events/s | tracker thread (core) | bench process incl. GC (core) | node 0 daemon (core) | node 1 daemon (core) | changes written | commits | all on node 1 after (ms) | events/s to node 1 |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var p in Replay)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {p.Name} | {p.Events} | {F(p.Wall.TotalMilliseconds)} | {F(p.EventsPerSecond)} | {F(p.TrackerCores, "F2")} | {F(p.ProcessCores, "F2")} | {F(p.Node0Cores, "F2")} | {F(p.Node1Cores, "F2")} | {p.Committed} | {p.Commits} | {(p.VisibleOnNode1 is { } v ? F(v.TotalMilliseconds) : "")} | {(p.ReplicatedPerSecond is { } rp ? F(rp) : "")} |");
            }
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Entries left in node 1's list after every phase closed what it opened: {ReplayLeftOnNode1}.");
        }
        if (Churns.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## b. Real churn from a client namespace");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Each row: {F(Churns[0].Wall.TotalSeconds, "F1")} s of connect() to the address and close with a RST (SO_LINGER 0, no TIME_WAIT), as fast as it goes: {Churns[0].How}. The tracker runs its own loop (commit_interval 1 s); the first row is the fastest churn (2 client threads), the next one 1 client thread.");
            md.AppendLine();
            md.AppendLine("| client threads | made | made/s | failed connects | opened by the tracker (NEW seen) | missed | closed seen | netlink messages | overruns | events the kernel dropped | receive queue peak (MB) | tracker threads (core) | benchmark process, all threads (core) | left in node 0's list | left in node 1's list |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var c in Churns)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {c.Threads} | {c.Made} | {F(c.MadePerSecond)} | {c.Failed} | {c.Seen} | {c.Missed} | {c.Closed} | {c.Messages} | {c.Overruns} | {(c.KernelDrops is { } kd ? kd.ToString(CultureInfo.InvariantCulture) : "")} | {(c.PeakQueueBytes is { } pq ? F(pq / 1048576.0, "F1") : "")} | {F(c.TrackerCores, "F2")} | {(c.ProcessCpu is { } pc ? F(pc / c.Wall, "F2") : "")} |  {c.StaleNode0} | {c.StaleNode1} |");
            }
            md.AppendLine();
            md.AppendLine("Missed is made less opened (a count, not a per-connection match: a NEW for a connect() that then failed would hide a missed one). Connections opened and closed within one commit interval are never written, by design, so this part cannot check the list entry by entry; the burst below does.");
        }
        if (Burst is { } b)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Burst: 2 client threads open {b.Made:N0} connections as fast as they can ({F(b.Wall.TotalMilliseconds)} ms, {F(b.MadePerSecond)}/s) and keep them; every client endpoint is then looked up in node 1's list: {b.Missing} missing, all there {F(b.AllOnNode1.TotalMilliseconds)} ms after the last connect; overruns {b.Overruns}; after all were closed (RST) {b.StaleNode1} left in node 1's list.");
        }
        if (Latency.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## c. SYN to the entry on node 1");
            md.AppendLine();
            md.AppendLine("Clock from just before connect() in the client namespace to the entry in node 1's GET_TCP_TICKLE_LIST (read every millisecond); random pauses between samples.");
            md.AppendLine();
            md.AppendLine("| commit_interval (s) | samples | median (ms) | p95 (ms) | max (ms) | goal (ms) |");
            md.AppendLine("|---:|---:|---:|---:|---:|---:|");
            foreach (var l in Latency)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {F(l.CommitInterval, "0.###")} | {l.Milliseconds.Count} | {F(l.Median, "F1")} | {F(l.P95, "F1")} | {F(l.Max, "F1")} | {F(l.GoalMs)} |");
            }
        }
        if (Tickles.Count > 0)
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## d. Tickling {TickleCount:N0} connections after takeover");
            md.AppendLine();
            md.AppendLine("| who | how | runs (ms) | median (ms) | ÷ floor |");
            md.AppendLine("|---|---|---|---:|---:|");
            double? floor = Tickles.FirstOrDefault(t => t.Name == "floor")?.Median;
            foreach (var t in Tickles)
            {
                string ratio = t.Median is { } m && floor is { } f && f > 0 ? F(m / f, "F2") : "";
                md.AppendLine(CultureInfo.InvariantCulture, $"| {t.Name} | {t.Unavailable ?? t.How} | {string.Join(", ", t.Milliseconds.Select(v => F(v, "F1")))} | {(t.Median is { } med ? F(med, "F1") : "")} | {ratio} |");
            }
        }
        if (SideBySide.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## e. Beside ctdbd 4.17: smbd's TCP_CLIENT and the ctdb tool's addtickle");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Each daemon on a 2-node cluster of its own; one public address held by one node. ctdbd's TickleUpdateInterval set to {TickleUpdateInterval} s on both nodes (default 20 s), and the first sample taken after its old 20 s timer fired. ctdb-pcmkd sends TCP_CLIENT on at once and an added tickle 200 ms after it. The addtickle times run from the start of the ctdb tool (through tests/local-daemons, its start-up is the empty-input run) to the entry in the other node's list, read every millisecond.");
            md.AppendLine();
            md.AppendLine("| daemon | TCP_CLIENT registrations/s (1 client) | all of them on the other node after (ms) | one TCP_CLIENT on the other node (ms, median of samples) | ctdb addtickle: lines | wall (ms) | empty-input run (ms) | lines/s (less the empty run) | one addtickle on the other node (ms, samples) |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---|");
            foreach (var s in SideBySide)
            {
                if (s.Unavailable is not null)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Daemon} | {s.Unavailable} | | | | | | | |");
                    continue;
                }
                md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Daemon} | {F(s.TcpClientPerSecond)} ({s.Registrations}) | {F(s.AllTcpClientOnOtherMs)} | {F(Median(s.TcpClientVisibleMs), "F1")} | {s.AddtickleLines} | {F(s.AddtickleWallMs)} | {F(s.AddtickleEmptyMs)} | {F(s.AddticklePerSecond)} | {string.Join(", ", s.AddtickleVisibleMs.Select(v => F(v)))} |");
            }
        }
        if (SideBySide.Count == 2 && SideBySide.All(x => x.Unavailable is null))
        {
            var (o, d) = (SideBySide[0], SideBySide[1]);
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"ctdb-pcmkd ÷ ctdbd: TCP_CLIENT registrations/s {F(o.TcpClientPerSecond / d.TcpClientPerSecond, "F2")}; addtickle lines/s {F(o.AddticklePerSecond / d.AddticklePerSecond, "F2")}; one addtickle on the other node (median) {F(Median(o.AddtickleVisibleMs) / Median(d.AddtickleVisibleMs), "F2")}; one TCP_CLIENT on the other node (median) {F(Median(o.TcpClientVisibleMs) / Median(d.TcpClientVisibleMs), "F2")}.");
        }
        md.AppendLine();
        md.AppendLine("## Method");
        md.AppendLine();
        md.AppendLine("- One run of `tests/bench/conntrack-bench.sh` (`ctdbpcmk-bench conntrack`): two ctdb-pcmkd nodes from tests/local-daemons (node 0 holds 10.79.0.100), a server and a client network namespace joined by a veth, a listener on 10.79.0.100:2049 in the server namespace, the tracker (`ConnectionTracker`, the agent's code) on a thread inside the server namespace, ports=2049,2050 (2050: the C churn server), max_connections=1,000,000.");
        md.AppendLine("- a: the tracker's `Feed` takes each recorded message as one datagram (as the kernel sends them), `Commit` runs every commit interval (1 s), looked at every 512 messages as the tracker's loop does; both on the measuring thread, whose CPU time (CLOCK_THREAD_CPUTIME_ID) is the tracker's. In the churn phase each connection closes 10,000 opens after it opened, well within one commit interval at these rates: the table cancels each pair and writes nothing (by design, a connection opened and closed between two commits is never written), so that phase is parse and table alone; in the sustained phase connections live across commits and are written and removed; at the fixed rate each connection lives 1 s and about half the changes are written. A commit writes its changes in PCMK_TCP_UPDATE controls of at most 8,192. Not in the replay: the kernel's receive (one recvmsg per datagram), which part b has. The daemons' CPU comes from /proc/PID/stat. Each phase ends with a commit; \"all on node 1 after\" is the time from there until node 1's list held every open connection.");
        md.AppendLine("- b: the tracker reads the kernel's events itself (its `Run` loop, 32 MB receive buffer); its counters come from its control socket's status line; its CPU is its loop's thread plus its event pump's thread (\"conntrack events\"), from /proc/self/task/TID/stat. The kernel's drops and the receive queue's fill come from /proc/PID/net/netlink of the churn server (in the server namespace), sampled every 10 ms.");
        md.AppendLine("- d: 10,000 entries written to node 0's list with PCMK_TCP_UPDATE (clients 10.79.0.2:10000-19999, which the client namespace answers with RSTs), then `reset-client` on the tracker's control socket, as the conntrack agent sends it on takeover. The ways take turns, one run each per round, so that the machine's load falls on all of them alike.");
        return;
    }

    private static double Median(IReadOnlyList<double> values) => values.Count == 0 ? double.NaN : values.Order().ElementAt(values.Count / 2);

    public string Json()
    {
        var doc = new
        {
            info = Info,
            goals = Goals(),
            replay = new
            {
                source = ReplaySource,
                left_on_node1 = ReplayLeftOnNode1,
                phases = Replay.Select(p => new
                {
                    name = p.Name,
                    events = p.Events,
                    wall_ms = p.Wall.TotalMilliseconds,
                    events_per_s = p.EventsPerSecond,
                    tracker_cores = p.TrackerCores,
                    process_cores = p.ProcessCores,
                    node0_cores = p.Node0Cores,
                    node1_cores = p.Node1Cores,
                    committed = p.Committed,
                    commits = p.Commits,
                    visible_on_node1_ms = p.VisibleOnNode1?.TotalMilliseconds,
                    replicated_per_s = p.ReplicatedPerSecond,
                }),
            },
            churn = Churns.Select(c => new
            {
                how = c.How,
                threads = c.Threads,
                wall_s = c.Wall.TotalSeconds,
                made = c.Made,
                made_per_s = c.MadePerSecond,
                failed = c.Failed,
                seen = c.Seen,
                missed = c.Missed,
                closed = c.Closed,
                messages = c.Messages,
                overruns = c.Overruns,
                kernel_drops = c.KernelDrops,
                receive_queue_peak_bytes = c.PeakQueueBytes,
                tracker_cores = c.TrackerCores,
                process_cores = c.ProcessCpu is { } pcj ? pcj / c.Wall : (double?)null,
                left_node0 = c.StaleNode0,
                left_node1 = c.StaleNode1,
            }),
            burst = Burst is { } bu ? new
            {
                made = bu.Made,
                wall_ms = bu.Wall.TotalMilliseconds,
                made_per_s = bu.MadePerSecond,
                missing_on_node1 = bu.Missing,
                all_on_node1_ms = bu.AllOnNode1.TotalMilliseconds,
                overruns = bu.Overruns,
                left_node1 = bu.StaleNode1,
            } : null,
            latency = Latency.Select(l => new { commit_interval_s = l.CommitInterval, samples_ms = l.Milliseconds, median_ms = l.Median, p95_ms = l.P95, max_ms = l.Max, goal_ms = l.GoalMs }),
            tickle = new { connections = TickleCount, ways = Tickles.Select(t => new { name = t.Name, how = t.How, runs_ms = t.Milliseconds, median_ms = t.Median, unavailable = t.Unavailable }) },
            side_by_side = new
            {
                tickle_update_interval_s = TickleUpdateInterval,
                daemons = SideBySide.Select(s => new
                {
                    daemon = s.Daemon,
                    unavailable = s.Unavailable,
                    tcp_client_registrations = s.Registrations,
                    tcp_client_per_s = s.TcpClientPerSecond,
                    tcp_client_all_on_other_ms = s.AllTcpClientOnOtherMs,
                    tcp_client_one_on_other_ms = s.TcpClientVisibleMs,
                    addtickle_lines = s.AddtickleLines,
                    addtickle_wall_ms = s.AddtickleWallMs,
                    addtickle_empty_ms = s.AddtickleEmptyMs,
                    addtickle_per_s = s.AddticklePerSecond,
                    addtickle_on_other_ms = s.AddtickleVisibleMs,
                }),
            },
            failures = Failures,
        };
        return JsonSerializer.Serialize(doc, s_json);
    }
}
