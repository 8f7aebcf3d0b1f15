// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Runtime.InteropServices;
using CtdbPcmk.Bench;

// Side-by-side single-node benchmark; tests/bench/run starts both daemons and passes them in:
//   ctdbpcmk-bench --out DIR [--info KEY=VALUE]...
//     --target ours  (--socket PATH [--pid N] [--env K=V]... | --unavailable REASON)
//     --target ctdbd (--socket PATH [--pid N] [--env K=V]... | --unavailable REASON)
//     [--floor-socket PATH]   a minimal control responder (tests/bench/floor/control-responder.c):
//                             the 1-client PING is also measured against it, as the floor
// Writes DIR/single-node.md and DIR/single-node.json. Exit 0 when the report is written and the
// reference column (ctdbd) is complete; a missed target or a failing "ours" is a result, not an error.
// "ctdbpcmk-bench three-node ..." runs the three-node benchmark instead (ThreeNode/ThreeNodeCommand.cs);
// "ctdbpcmk-bench node-auth ..." ours with and without a node key, ctdbd beside (ThreeNode/NodeAuthCommand.cs);
// "ctdbpcmk-bench scale ..." 3 to 16 nodes, 10k to 1M records (Scale/ScaleCommand.cs);
// "ctdbpcmk-bench vacuum ..." vacuuming under create/delete churn (Vacuum/VacuumChurnCommand.cs);
// "ctdbpcmk-bench first-ping ..." measures a daemon's start-up (FirstPingCommand.cs);
// "ctdbpcmk-bench conntrack ..." the connection tracker (Conntrack/ConntrackCommand.cs);
// "ctdbpcmk-bench nfs-failover ..." one NFSv4 failover round on the box (Nfs/NfsFailoverCommand.cs).
try
{
    if (args.Length > 0 && args[0] == "three-node")
    {
        return CtdbPcmk.Bench.ThreeNode.ThreeNodeCommand.Run(args[1..]);
    }
    if (args.Length > 0 && args[0] == "node-auth")
    {
        return CtdbPcmk.Bench.ThreeNode.NodeAuthCommand.Run(args[1..]);
    }
    if (args.Length > 0 && args[0] == "conntrack")
    {
        return CtdbPcmk.Bench.Conntrack.ConntrackCommand.Run(args[1..]);
    }
    if (args.Length > 0 && args[0] == "nfs-failover")
    {
        return CtdbPcmk.Bench.Nfs.NfsFailoverCommand.Run(args[1..]);
    }
    if (args.Length > 0 && args[0] == "scale")
    {
        return CtdbPcmk.Bench.Scale.ScaleCommand.Run(args[1..]);
    }
    if (args.Length > 0 && args[0] == "vacuum")
    {
        return CtdbPcmk.Bench.Vacuum.VacuumChurnCommand.Run(args[1..]);
    }
    if (args.Length > 0 && args[0] == "first-ping")
    {
        return FirstPingCommand.Run(args[1..]);
    }
    var targets = new List<BenchTarget>();
    var info = new Dictionary<string, string>();
    string? outDir = null;
    string? floorSocket = null;
    for (int i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        BenchTarget Current() => targets.Count > 0 ? targets[^1] : throw new ArgumentException($"{args[i]} before --target");
        switch (args[i])
        {
            case "--out": outDir = Next(); break;
            case "--floor-socket": floorSocket = Next(); break;
            case "--target": targets.Add(new BenchTarget(Next())); break;
            case "--socket": Current().SocketPath = Next(); break;
            case "--pid": Current().Pid = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--unavailable": Current().Unavailable = Next(); break;
            case "--env": { var t = Current(); var (k, v) = Pair(Next()); t.ToolEnvironment[k] = v; break; }
            case "--info": { var (k, v) = Pair(Next()); info[k] = v; break; }
            default: throw new ArgumentException($"unknown argument {args[i]}");
        }
    }
    if (outDir is null || targets.Select(t => t.Name).Order().SequenceEqual(["ctdbd", "ours"]) is false)
    {
        throw new ArgumentException("need --out and exactly the targets 'ours' and 'ctdbd'");
    }
    foreach (var t in targets.Where(t => t.Unavailable is null && t.SocketPath is null))
    {
        t.Unavailable = "no socket given";
    }
    var all = new Dictionary<string, string>
    {
        ["command"] = info.GetValueOrDefault("command", "make bench"),
        ["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture),
        ["nproc"] = Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
        ["kernel"] = File.ReadAllText("/proc/sys/kernel/osrelease").Trim(),
        ["cpu"] = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown",
        ["loadavg"] = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)),
        ["version.runtime"] = RuntimeInformation.FrameworkDescription,
    };
    foreach (var (k, v) in info)
    {
        all[k] = v;
    }

    var suite = new BenchSuite(targets, floorSocket is null ? null : new BenchTarget(BenchSuite.FloorName) { SocketPath = floorSocket });
    suite.Run();
    var report = new Report(suite, targets, all);
    Directory.CreateDirectory(outDir);
    File.WriteAllText(Path.Combine(outDir, "single-node.md"), report.Markdown());
    File.WriteAllText(Path.Combine(outDir, "single-node.json"), report.Json());
    Console.WriteLine(report.Markdown());
    bool referenceComplete = report.Rows.All(r => r.Ctdbd is not null);
    return referenceComplete ? 0 : 1;
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"ctdbpcmk-bench: {e.Message}");
    return 2;
}

static (string Key, string Value) Pair(string s)
{
    int eq = s.IndexOf('=', StringComparison.Ordinal);
    return eq > 0 ? (s[..eq], s[(eq + 1)..]) : throw new ArgumentException($"expected KEY=VALUE, got '{s}'");
}
