// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.ClusterKit;

/// <summary>
/// A cluster laid out, started, killed and torn down by tests/local-daemons in a private
/// directory under /tmp. For ctdb-pcmkd the harness gives the leader role (Pacemaker's job in
/// production); real ctdbd elects its own. Dispose tears everything down.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    private static readonly TimeSpan s_harnessTimeout = TimeSpan.FromSeconds(150);
    private bool _setUp;

    private LocalCluster(Daemon daemon, string directory, int nodes)
    {
        Daemon = daemon;
        Directory = directory;
        Nodes = nodes;
        Probe = new ClusterProbe(Socket);
    }

    public Daemon Daemon { get; }

    public string Name => Daemon == Daemon.Ctdb ? "ctdb" : "ours";

    public string Directory { get; }

    public int Nodes { get; }

    /// <summary>Kept connections for polling the nodes' state.</summary>
    public ClusterProbe Probe { get; }

    /// <summary>Nodes started and not killed or stopped since.</summary>
    public SortedSet<int> Alive { get; } = [];

    /// <summary>
    /// Sets up and starts <paramref name="nodes"/> nodes (for ours node 0 becomes leader) and waits
    /// until every node is healthy, NORMAL, in one generation. Anything started is torn down on failure.
    /// <paramref name="directory"/> (default: a new one under /tmp) must be short: the Unix socket
    /// paths below it must fit sun_path.
    /// </summary>
    public static LocalCluster Start(Daemon daemon, int nodes, TimeSpan readyTimeout, string? directory = null)
    {
        string dir = directory ?? System.IO.Path.Combine("/tmp", $"cpk3-{(daemon == Daemon.Ctdb ? "c" : "o")}-{Guid.NewGuid().ToString("N")[..10]}");
        var c = new LocalCluster(daemon, dir, nodes);
        try
        {
            c.Check("setup", nodes.ToString(CultureInfo.InvariantCulture), "--impl", c.Name);
            c._setUp = true;
            c.Check("start", "all");
            for (int i = 0; i < nodes; i++)
            {
                c.Alive.Add(i);
            }
            if (daemon == Daemon.Ours)
            {
                c.SetLeader(0);
            }
            c.WaitStable([], WireFormat.InvalidGeneration, readyTimeout, healthy: true);
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    public string Socket(int pnn) => System.IO.Path.Combine(Directory, $"node.{pnn}", "run", "ctdbd.socket");

    /// <summary>Runs the harness on this cluster.</summary>
    public RunResult Harness(params string[] args) =>
        Run.Program(RepoRoot.LocalDaemons, new[] { Directory }.Concat(args), timeout: s_harnessTimeout);

    /// <summary>Runs the harness and throws with its output and the logs unless it succeeds.</summary>
    public RunResult Check(params string[] args)
    {
        var r = Harness(args);
        return r.Ok ? r : throw new InvalidOperationException($"{Name}: local-daemons {string.Join(' ', args)} failed: {r}\n{LogTail()}");
    }

    /// <summary>Runs the real ctdb tool against node <paramref name="pnn"/>.</summary>
    public RunResult Ctdb(int pnn, IEnumerable<string> args, string? stdin = null) =>
        Run.Program(RepoRoot.LocalDaemons, new[] { Directory, "ctdb", pnn.ToString(CultureInfo.InvariantCulture) }.Concat(args), stdin, TimeSpan.FromSeconds(60));

    public RunResult Ctdb(int pnn, params string[] args) => Ctdb(pnn, args, null);

    /// <summary>SIGKILL node <paramref name="pnn"/>'s daemon.</summary>
    public void Kill(int pnn)
    {
        Probe.Drop(pnn);
        Check("kill", pnn.ToString(CultureInfo.InvariantCulture));
        Alive.Remove(pnn);
    }

    /// <summary>Starts node <paramref name="pnn"/> again (returns once its socket accepts).</summary>
    public void StartNode(int pnn)
    {
        Probe.Drop(pnn);
        Check("start", pnn.ToString(CultureInfo.InvariantCulture));
        Alive.Add(pnn);
    }

    /// <summary>ours: gives node <paramref name="pnn"/> the leader role through the harness.</summary>
    public void SetLeader(int pnn) => Check("leader", pnn.ToString(CultureInfo.InvariantCulture));

    /// <summary>The leader as node <paramref name="pnn"/> sees it.</summary>
    public int Leader(int pnn)
    {
        if (Daemon == Daemon.Ours)
        {
            uint leader = Probe.Client(pnn).GetLeaderState().Leader;
            return leader == WireFormat.UnknownPnn ? -1 : (int)leader;
        }
        // ctdbd 4.17 has no control for it: the tool waits for the leader's broadcast.
        var r = Ctdb(pnn, "leader");
        return r.Ok && int.TryParse(r.Output.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int l) ? l : -1;
    }

    /// <summary>The generation all alive nodes share (the cluster must be stable).</summary>
    public uint Generation() =>
        Probe.Look(Alive.First(), out string e)?.Generation ?? throw new InvalidOperationException(e);

    /// <summary>
    /// Polls every 10 ms until <see cref="ClusterProbe.IsStable"/> holds for the alive nodes;
    /// returns the time it took, throws with the last state and the logs on timeout.
    /// </summary>
    public TimeSpan WaitStable(IReadOnlyCollection<int> dead, uint oldGeneration, TimeSpan timeout, bool healthy = false)
    {
        var sw = Stopwatch.StartNew();
        string state = "";
        while (sw.Elapsed < timeout)
        {
            if (Probe.IsStable(Alive, dead, oldGeneration, healthy, out state))
            {
                return sw.Elapsed;
            }
            Thread.Sleep(10);
        }
        throw new TimeoutException($"{Name}: not stable within {timeout.TotalSeconds:F0} s: {state}\n{LogTail()}");
    }

    /// <summary>The last lines of every node's log, for failure messages.</summary>
    public string LogTail(int lines = 25)
    {
        var sb = new System.Text.StringBuilder();
        for (int pnn = 0; pnn < Nodes; pnn++)
        {
            string log = System.IO.Path.Combine(Directory, $"node.{pnn}", "log");
            if (File.Exists(log))
            {
                var all = File.ReadAllLines(log);
                sb.Append("== node ").Append(pnn).AppendLine(" log");
                foreach (var l in all.Skip(Math.Max(0, all.Length - lines)))
                {
                    sb.AppendLine(l);
                }
            }
        }
        return sb.ToString();
    }

    public void Dispose()
    {
        Probe.Dispose();
        if (_setUp)
        {
            _setUp = false;
            var r = Harness("teardown");
            if (!r.Ok)
            {
                throw new InvalidOperationException($"teardown of {Directory} failed: {r}");
            }
        }
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
