// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Text.RegularExpressions;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Faults;

/// <summary>
/// Disk faults under one node's databases. Node 1's database directories live on a small
/// loop-mounted ext4 (in this process's private mount namespace). Phases: commits on a healthy
/// cluster; the file system filled to the last block, commits through node 1 and node 0 with
/// values that make the TDB files grow; space returned, the cluster recovers, commits again; the
/// file system turned read-only by an ext4 error (errors=remount-ro), commits again; node 1
/// stopped, the file system repaired (e2fsck) and mounted, node 1 started. Each phase records
/// the commits' outcomes, the errors the clients got, node 1's log lines about it, whether its
/// daemon still runs and the ocf:ctdb:health verdict on its database directory. At the end
/// every acknowledged commit is on all three nodes, the copies are identical, every node is OK in
/// "ctdb status" and every TDB file (node 1's on the loop file system included) passes tdbtool check.
/// </summary>
internal sealed partial class DiskRun
{
    private const int Pad = 900;
    private const int Spread = 40;

    /// <summary>Commits through node 1 beyond the phase's own while its full file system still takes them.</summary>
    private const int ExtraCommits = 10;

    /// <summary>How long a fault phase waits for the leader to ban node 1 after its commit failed (the ban comes after 10 s of failed recoveries).</summary>
    private static readonly TimeSpan BanWait = TimeSpan.FromSeconds(40);
    private readonly DiskOptions _o;
    private readonly Journal _j;
    private readonly DiskResult _result;
    private readonly WriteHistory[] _histories = [new("d0", Pad, Spread), new("d1", Pad, Spread)];
    private readonly int[] _next = new int[2];
    private readonly int[] _writerNode = [0, DiskOptions.Victim];

    private DiskRun(DiskOptions o, Journal j)
    {
        _o = o;
        _j = j;
        _result = new DiskResult { Daemon = o.Daemon };
    }

    public static DiskResult Execute(DiskOptions o, Journal j)
    {
        if (!MountNamespace.Inside)
        {
            throw new InvalidOperationException("a disk run must run in its own mount namespace (MountNamespace.Rerun)");
        }
        return new DiskRun(o, j).Run();
    }

    private DiskResult Run()
    {
        var sw = Stopwatch.StartNew();
        _j.Add($"disk: {_o.Daemon} cluster of {DiskOptions.Nodes}, node {DiskOptions.Victim} on a {DiskOptions.ImageMb} MB ext4");
        using var c = LocalCluster.Start(_o.Daemon, DiskOptions.Nodes, ClusterReadiness.Stable, TimeSpan.FromSeconds(120));
        LoopFs? fs = null;
        try
        {
            fs = MoveVictimOntoLoopFs(c);
            Phases(c, fs);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or CtdbPcmk.Client.CtdbConnectionException or CtdbPcmk.Client.CtdbControlException)
        {
            _result.Aborted = string.Join("\n", e.Message.Split('\n').Take(15));
            _j.Add("ABORTED: " + _result.Aborted);
        }
        finally
        {
            var stop = c.Harness("stop", "all");
            if (!stop.Ok)
            {
                _result.Problems.Add("stop all failed: " + stop);
            }
            var (n, failed) = TdbIntegrity.CheckAll(c.Directory);
            _result.TdbChecked = n;
            _result.TdbCorrupt = failed.Count;
            _result.Problems.AddRange(failed);
            _j.Add($"tdbtool check: {n} files, {failed.Count} failed");
            _result.Duration = sw.Elapsed;
            if (!_result.Passed)
            {
                _result.EvidenceDir = Evidence.Keep(_o.EvidenceRoot, $"disk-{_o.Daemon.ToString().ToLowerInvariant()}", c, _j, _result.Lines());
            }
            fs?.Dispose();
        }
        return _result;
    }

    /// <summary>Stops node 1, mounts the small file system over its database directories (keeping their files) and starts it again.</summary>
    private LoopFs MoveVictimOntoLoopFs(LocalCluster c)
    {
        int v = DiskOptions.Victim;
        uint generation = c.Generation();
        c.Check("stop", v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        c.Alive.Remove(v);
        c.Probe.Drop(v);
        var fs = LoopFs.Create(Path.Combine(c.Directory, "node1-db.img"), DiskOptions.ImageMb, Path.Combine(c.Directory, $"node.{v}", "db"));
        _j.Add($"node {v}: database directories on /dev/{fs.DeviceName}: {fs.Df}");
        c.StartNode(v);
        c.WaitStable([], generation, DiskOptions.RecoveryLimit, healthy: true);
        var r = CtdbTool.Run(c, 0, ["attach", DiskOptions.Db, "persistent"], null, TimeSpan.FromSeconds(60));
        if (!r.Ok)
        {
            throw new InvalidOperationException($"ctdb attach {DiskOptions.Db} persistent: {r.Output}");
        }
        return fs;
    }

    private void Phases(LocalCluster c, LoopFs fs)
    {
        int v = DiskOptions.Victim;

        var healthy = Phase(c, fs, "healthy", fault: false);
        Require(healthy.Acked == healthy.Issued, "commits on a healthy cluster failed: " + string.Join("; ", healthy.ClientErrors));

        long filled = fs.Fill();
        _j.Add($"node {v}: file system filled ({filled / 1024} KB filler): {fs.Df}");
        Phase(c, fs, "file system full", fault: true, untilVictimFails: true);

        fs.Unfill();
        _j.Add($"node {v}: space returned: {fs.Df}");
        WaitRecovered(c, "after space returned");
        var after = Phase(c, fs, "space returned", fault: false);
        Require(after.Acked == after.Issued, "commits after space returned failed: " + string.Join("; ", after.ClientErrors));

        fs.TriggerError();
        _j.Add($"node {v}: ext4 error triggered, read-only: {fs.ReadOnly}");
        var ro = Phase(c, fs, "file system read-only", fault: true);
        ro.Notes.Add($"mount read-only: {fs.ReadOnly}");

        var stop = c.Harness("stop", v.ToString(System.Globalization.CultureInfo.InvariantCulture));
        c.Alive.Remove(v);
        c.Probe.Drop(v);
        var (code, output) = fs.UnmountAndRepair();
        ro.Notes.Add($"node {v} stopped ({(stop.Ok ? "clean" : "stop failed: " + stop.Output.Trim())}); e2fsck -f -y exit {code}: {LastLine(output)}");
        fs.Mount(copyExisting: false);
        uint generation = c.Generation();
        c.StartNode(v);
        c.WaitStable([], generation, DiskOptions.RecoveryLimit);
        WaitRecovered(c, "after the repaired file system was mounted");
        var repaired = Phase(c, fs, "repaired and restarted", fault: false);
        Require(repaired.Acked == repaired.Issued, "commits after the repair failed: " + string.Join("; ", repaired.ClientErrors));

        Check(c);
    }

    /// <summary>
    /// Waits for a healthy, recovered cluster. A node banned for its failed recoveries is
    /// unbanned first, as an administrator does once the file system is fixed (the ban would
    /// otherwise last RecoveryBanPeriod), and that is noted; one still banned after the limit
    /// is unbanned too, and that counts as a problem.
    /// </summary>
    private void WaitRecovered(LocalCluster c, string when)
    {
        var status = CtdbTool.Run(c, 0, ["status"], null, TimeSpan.FromSeconds(30));
        foreach (var line in status.Output.Split('\n').Where(l => l.StartsWith("pnn:", StringComparison.Ordinal) && l.Contains("BANNED", StringComparison.Ordinal)))
        {
            int pnn = int.Parse(line[4..line.IndexOf(' ', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture);
            var r = CtdbTool.Run(c, pnn, ["unban"], null, TimeSpan.FromSeconds(30));
            _j.Add($"{when}: node {pnn} banned ({line.Trim()}); ctdb unban on it: exit {r.Code} {r.Output.Trim()}");
            _result.Phases.LastOrDefault()?.Notes.Add($"node {pnn} was banned; unbanned with ctdb unban {when}");
        }
        try
        {
            var t = c.WaitStable([], WireFormat.InvalidGeneration, DiskOptions.RecoveryLimit, healthy: true);
            _j.Add($"cluster healthy {when} in {t.TotalSeconds:F1} s");
        }
        catch (TimeoutException e)
        {
            _j.Add($"cluster not healthy {when} within {DiskOptions.RecoveryLimit.TotalSeconds:F0} s: {e.Message.Split('\n')[0]}");
            for (int p = 0; p < DiskOptions.Nodes; p++)
            {
                var r = CtdbTool.Run(c, p, ["unban"], null, TimeSpan.FromSeconds(30));
                _j.Add($"ctdb unban on node {p}: exit {r.Code} {r.Output}");
            }
            _result.Problems.Add($"{when}: the cluster was not healthy within {DiskOptions.RecoveryLimit.TotalSeconds:F0} s ({e.Message.Split('\n')[0]}); nodes unbanned");
            var t = c.WaitStable([], WireFormat.InvalidGeneration, DiskOptions.RecoveryLimit, healthy: true);
            _j.Add($"cluster healthy {when} after unban in {t.TotalSeconds:F1} s");
        }
    }

    /// <summary>
    /// One phase: <see cref="DiskOptions.CommitsPerNode"/> rounds of a commit through node 1 and
    /// one through node 0. With <paramref name="untilVictimFails"/>, commits through node 1 go on
    /// (at most <see cref="ExtraCommits"/> more) until one fails: a full file system still takes
    /// commits that fit in the room the TDB file already has. When a commit through node 1 failed
    /// in a fault phase, the status is read once node 1 is banned or after <see cref="BanWait"/>.
    /// </summary>
    private DiskPhase Phase(LocalCluster c, LoopFs fs, string name, bool fault, bool untilVictimFails = false)
    {
        var phase = new DiskPhase(name) { Df = fs.Df };
        string log = Path.Combine(c.Directory, $"node.{DiskOptions.Victim}", "log");
        long logStart = new FileInfo(log).Length;
        phase.Health = HealthVerdict.Of(c, DiskOptions.Victim, fs.MountPoint);
        for (int round = 0; round < _o.CommitsPerNode; round++)
        {
            // Node 1 (on the faulty file system) first, then node 0 (healthy, but every commit goes to all nodes).
            foreach (int w in new[] { 1, 0 })
            {
                Commit(c, phase, name, w);
            }
        }
        int extra = 0;
        while (untilVictimFails && phase.VictimAcked == phase.VictimIssued && extra < ExtraCommits)
        {
            extra++;
            Commit(c, phase, name, 1);
        }
        if (extra > 0)
        {
            phase.Notes.Add($"{extra} more commits through node {DiskOptions.Victim} until one failed ({(phase.VictimAcked == phase.VictimIssued ? "none did" : "it did")}): the TDB had room for the first");
        }
        if (fault)
        {
            _result.AckedDuringFault += phase.Acked;
        }
        phase.VictimAlive = c.Harness("pid", DiskOptions.Victim.ToString(System.Globalization.CultureInfo.InvariantCulture)).Ok;
        phase.Status = StatusRows(c, waitForBan: fault && phase.VictimAcked < phase.VictimIssued);
        phase.LogLines.AddRange(NewLogLines(log, logStart));
        _result.Phases.Add(phase);
        _j.Add($"{name}: {phase.Acked}/{phase.Issued} acknowledged; daemon {(phase.VictimAlive ? "running" : "not running")}; health {phase.Health}");
        return phase;
    }

    /// <summary>Commit number next of writer <paramref name="w"/> through its node, recorded in the phase.</summary>
    private void Commit(LocalCluster c, DiskPhase phase, string name, int w)
    {
        int i = _next[w]++;
        var r = CtdbTool.Run(c, _writerNode[w], ["ptrans", DiskOptions.Db], _histories[w].PtransInput(i), _o.CommitLimit);
        _histories[w].Record(r.Ok);
        phase.Issued++;
        bool victim = _writerNode[w] == DiskOptions.Victim;
        if (victim)
        {
            phase.VictimIssued++;
        }
        if (r.Ok)
        {
            phase.Acked++;
            if (victim)
            {
                phase.VictimAcked++;
            }
        }
        else
        {
            phase.ClientErrors.Add($"node {_writerNode[w]} commit {_histories[w].Key(i)}: exit {r.Code}: {r.Output.Replace('\n', ' ')}");
        }
        _j.Add($"{name}: commit {_histories[w].Key(i)} through node {_writerNode[w]}: {(r.Ok ? "acknowledged" : "FAILED " + r.Output.Replace('\n', ' '))} ({r.Took.TotalMilliseconds:F0} ms)");
    }

    /// <summary>
    /// Node 0's "ctdb status" rows; with <paramref name="waitForBan"/>, read again until node 1
    /// shows BANNED or <see cref="BanWait"/> has passed.
    /// </summary>
    private static string StatusRows(LocalCluster c, bool waitForBan)
    {
        var until = DateTime.UtcNow + BanWait;
        while (true)
        {
            var status = CtdbTool.Run(c, 0, ["status"], null, TimeSpan.FromSeconds(30));
            var rows = status.Output.Split('\n').Where(l => l.StartsWith("pnn:", StringComparison.Ordinal) || l.StartsWith("Recovery mode", StringComparison.Ordinal)).ToList();
            bool banned = rows.Any(l => l.StartsWith($"pnn:{DiskOptions.Victim} ", StringComparison.Ordinal) && l.Contains("BANNED", StringComparison.Ordinal));
            if (!waitForBan || banned || DateTime.UtcNow >= until)
            {
                return string.Join(" | ", rows);
            }
            Thread.Sleep(1000);
        }
    }

    private static List<string> NewLogLines(string log, long from)
    {
        using var f = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        f.Seek(from, SeekOrigin.Begin);
        using var reader = new StreamReader(f);
        var interesting = reader.ReadToEnd().Split('\n').Where(l => Interesting().IsMatch(l)).ToList();
        // The first lines say what went wrong; the last ones how it ended.
        return interesting.Count <= 8 ? interesting : [.. interesting.Take(5), "...", .. interesting.TakeLast(2)];
    }

    private void Check(LocalCluster c)
    {
        foreach (var p in ClusterStatus.Problems(c, DiskOptions.Nodes))
        {
            _result.StatusProblems++;
            _result.Problems.Add(p);
        }
        _result.Acked = _histories.Sum(h => h.Outcomes.Count(a => a));
        var copies = new List<Dictionary<string, string>>();
        for (int p = 0; p < DiskOptions.Nodes; p++)
        {
            var copy = DbCopy.Read(c, p, DiskOptions.Db, DatabaseKind.Persistent);
            copies.Add(copy);
            var v = CopyVerdict.Judge($"node {p} {DiskOptions.Db}", copy, _histories);
            _result.Checked += v.Checked;
            _result.Lost += v.Lost;
            _result.Resurrected += v.Resurrected;
            _result.Stale += v.Stale + v.Unexpected;
            _result.Problems.AddRange(v.Problems);
            _j.Add($"node {p}: {copy.Count} records, {v.Checked} keys checked, lost {v.Lost}, resurrected {v.Resurrected}, stale {v.Stale}, unexpected {v.Unexpected}");
        }
        for (int p = 1; p < DiskOptions.Nodes; p++)
        {
            var diff = DbCopy.Differences(copies[0], copies[p]);
            if (diff.Count > 0)
            {
                _result.CopyMismatches++;
                _result.Problems.Add($"node 0 and node {p} differ in {diff.Count} keys, e.g. {string.Join("; ", diff.Take(3).Select(d => d.Length > 200 ? d[..200] : d))}");
            }
        }
    }

    private static void Require(bool ok, string why)
    {
        if (!ok)
        {
            throw new InvalidOperationException(why);
        }
    }

    private static string LastLine(string s) => s.Split('\n').LastOrDefault(l => l.Trim().Length > 0) ?? "";

    [GeneratedRegex("space|ENOSPC|read-only|Read-only|EROFS|[Ee]rror|[Ff]ail|[Bb]an|unhealthy|UNHEALTHY|exit|abort|stop", RegexOptions.None)]
    private static partial Regex Interesting();
}
