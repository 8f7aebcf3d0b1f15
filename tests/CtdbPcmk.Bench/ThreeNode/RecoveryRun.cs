// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>
/// One SIGKILL of a node (the leader or not) and the time until the survivors are stable: all in
/// recovery mode NORMAL in one new generation, the victim DISCONNECTED in every node map, and a
/// record written with the ctdb tool on one survivor read back through the other. For ours the
/// harness gives the leader role to a survivor right after killing the leader. The victim is
/// restarted afterwards and the cluster waited for, untimed.
/// </summary>
internal static class RecoveryRun
{
    public const string Database = "bench-stable.tdb";
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Seconds to stable from the kill command and, for ours after a leader loss, from the start of
    /// the leader command and from the moment the new leader first reported the role (polled).
    /// </summary>
    public sealed record Timing(double FromKill, double? FromLeaderCommand, double? FromLeaderRole);

    public static Timing Measure(LocalCluster c, bool killLeader, int run)
    {
        int leader = c.Leader(c.Alive.First());
        if (leader < 0)
        {
            throw new InvalidOperationException("no leader before the kill");
        }
        int victim = killLeader ? leader : (leader + 1) % c.Nodes;
        var survivors = c.Alive.Where(p => p != victim).ToArray();
        uint generation = c.Generation();
        using var probe = new ClusterProbe(c.Socket);
        foreach (int p in survivors)
        {
            probe.Client(p);
        }
        using var reader = CtdbClient.Connect(c.Socket(survivors[1]));
        reader.Timeout = TimeSpan.FromSeconds(2);
        uint dbId = reader.AttachDatabase(Database);
        string value = $"run-{run}-{(killLeader ? "leader" : "nonleader")}-{Guid.NewGuid():N}";
        byte[] key = Encoding.ASCII.GetBytes($"stable-key-{run}");

        bool ours = c.Daemon == DaemonKind.Ours;
        uint oldTerm = ours ? probe.Client(survivors[0]).GetLeaderState().Term : 0;
        long leaderSetAt = 0;
        long roleAt = 0;
        Exception? harnessError = null;
        var sw = Stopwatch.StartNew();
        var killer = new Thread(() =>
        {
            try
            {
                c.Check("kill", victim.ToString(CultureInfo.InvariantCulture));
                if (killLeader && c.Daemon == DaemonKind.Ours)
                {
                    // Timed from the command's start: it returns only once the recovery it starts is over.
                    Interlocked.Exchange(ref leaderSetAt, sw.ElapsedTicks);
                    c.SetLeader(survivors[0]);
                }
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                harnessError = e;
            }
        })
        { IsBackground = true, Name = "harness-kill" };
        killer.Start();
        string state = "";
        bool stable = false;
        while (sw.Elapsed < s_limit && harnessError is null)
        {
            if (killLeader && ours && roleAt == 0 && HasRole(probe, survivors[0], oldTerm))
            {
                roleAt = sw.ElapsedTicks;
            }
            if (probe.IsStable(survivors, [victim], generation, healthy: false, out state) && WriteRead(c, survivors[0], reader, dbId, key, value, ref state))
            {
                stable = true;
                break;
            }
            Thread.Sleep(10);
        }
        var elapsed = sw.Elapsed;
        killer.Join();
        c.Alive.Remove(victim);
        c.Probe.Drop(victim);
        if (harnessError is not null)
        {
            throw new InvalidOperationException($"harness: {harnessError.Message}", harnessError);
        }
        if (!stable)
        {
            throw new TimeoutException($"not stable within {s_limit.TotalSeconds:F0} s after killing node {victim}: {state}");
        }
        double? Since(long ticks) => ticks > 0 ? Math.Max(0, elapsed.TotalSeconds - ((double)ticks / Stopwatch.Frequency)) : null;
        return new Timing(elapsed.TotalSeconds, Since(Interlocked.Read(ref leaderSetAt)), Since(roleAt));
    }

    /// <summary>ours: the node reports itself leader in a term above <paramref name="oldTerm"/>.</summary>
    private static bool HasRole(ClusterProbe probe, int pnn, uint oldTerm)
    {
        try
        {
            var s = probe.Client(pnn).GetLeaderState();
            return s.IsLeader && s.Term > oldTerm;
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException)
        {
            probe.Drop(pnn);
            return false;
        }
    }

    /// <summary>Restarts every dead node and waits until the whole cluster is stable again.</summary>
    public static void Rejoin(LocalCluster c)
    {
        var dead = Enumerable.Range(0, c.Nodes).Where(p => !c.Alive.Contains(p)).ToList();
        if (dead.Count == 0)
        {
            return;
        }
        uint generation = c.Generation();
        foreach (int p in dead)
        {
            c.StartNode(p);
        }
        c.WaitStable([], generation, TimeSpan.FromSeconds(120));
    }

    /// <summary>The tool writes the record on one survivor; the other must then fetch that value.</summary>
    private static bool WriteRead(LocalCluster c, int writer, CtdbClient reader, uint dbId, byte[] key, string value, ref string state)
    {
        var w = c.Ctdb(writer, "writekey", Database, Encoding.ASCII.GetString(key), value);
        if (!w.Ok)
        {
            state = $"writekey on node {writer}: {w}";
            return false;
        }
        try
        {
            int status = reader.CallRaw(dbId, key, ReqCall.FetchFunc, ReqCall.FlagImmediateMigration);
            string got = Encoding.ASCII.GetString(reader.LastReplyData);
            if (status == 0 && got == value)
            {
                return true;
            }
            state = $"fetch answered {status} '{got}'";
        }
        catch (TimeoutException e)
        {
            state = $"fetch: {e.Message}";
        }
        return false;
    }
}
