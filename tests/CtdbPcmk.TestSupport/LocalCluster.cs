// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.TestSupport;

/// <summary>
/// A cluster laid out, started, killed and torn down by tests/local-daemons in a private
/// directory. Commands of the real ctdb tool go through the harness so they get the same
/// environment a person would use. Dispose tears everything down and, should the harness fail
/// at that, kills what it recorded and deletes the namespace, so a failing test leaves nothing behind.
/// </summary>
public sealed partial class LocalCluster : IDisposable
{
    private static readonly TimeSpan s_harnessTimeout = TimeSpan.FromSeconds(150);
    private static readonly TimeSpan s_toolTimeout = TimeSpan.FromSeconds(60);

    private LocalCluster(DaemonKind? daemon, string directory, int nodes)
    {
        Daemon = daemon;
        Directory = directory;
        Nodes = nodes;
        Probe = new ClusterProbe(Socket);
    }

    /// <summary>The daemon <see cref="Start"/> set up; null for <see cref="Create"/>.</summary>
    public DaemonKind? Daemon { get; }

    /// <summary>"ctdb" or "ours" (the harness's --impl), for messages.</summary>
    public string Name => Daemon switch
    {
        DaemonKind.Ctdb => "ctdb",
        DaemonKind.Ours => "ours",
        _ => "cluster",
    };

    /// <summary>The cluster's own directory; every path the daemons report lies below it.</summary>
    public string Directory { get; }

    /// <summary>The nodes <see cref="Start"/> set up (0 for <see cref="Create"/>).</summary>
    public int Nodes { get; }

    /// <summary>Kept connections for polling the nodes' state.</summary>
    public ClusterProbe Probe { get; }

    /// <summary>Nodes started and not killed or stopped since.</summary>
    public SortedSet<int> Alive { get; } = [];

    /// <summary>The network namespace the harness made for the cluster.</summary>
    public string Namespace => File.ReadAllText(Path.Combine(Directory, "netns")).Trim();

    /// <summary>
    /// A new short directory under the temporary folder (the Unix socket paths below it must fit
    /// sun_path) with nothing set up: the caller drives the harness with <see cref="Harness"/>.
    /// </summary>
    public static LocalCluster Create() =>
        new(null, System.IO.Directory.CreateTempSubdirectory("cpk-").FullName, 0);

    /// <summary>
    /// Sets up and starts <paramref name="nodes"/> nodes and waits for <paramref name="readiness"/>.
    /// Anything started is torn down on failure. <paramref name="nodeKey"/> (ours): node links authenticated with one new key. <paramref name="directory"/> (default: a new
    /// one under the temporary folder) must be short: the Unix socket paths below it must fit sun_path.
    /// </summary>
    public static LocalCluster Start(DaemonKind daemon, int nodes, ClusterReadiness readiness, TimeSpan readyTimeout, string? directory = null,
        bool nodeKey = false)
    {
        string dir = directory ?? System.IO.Directory.CreateTempSubdirectory("cpk-").FullName;
        var c = new LocalCluster(daemon, dir, nodes);
        try
        {
            c.Check(nodeKey
                ? ["setup", nodes.ToString(CultureInfo.InvariantCulture), "--impl", c.Name, "--node-key"]
                : ["setup", nodes.ToString(CultureInfo.InvariantCulture), "--impl", c.Name]);
            c.Check("start", "all");
            for (int i = 0; i < nodes; i++)
            {
                c.Alive.Add(i);
            }
            if (readiness == ClusterReadiness.Stable)
            {
                if (daemon == DaemonKind.Ours)
                {
                    c.SetLeader(0);
                }
                c.WaitStable([], WireFormat.InvalidGeneration, readyTimeout, healthy: true);
            }
            else
            {
                c.WaitNode0Answers(readyTimeout);
            }
            return c;
        }
        catch
        {
            c.Dispose();
            throw;
        }
    }

    /// <summary>Node <paramref name="pnn"/>'s Unix socket.</summary>
    public string Socket(int pnn) => Path.Combine(Directory, $"node.{pnn}", "run", "ctdbd.socket");

    /// <summary>Runs the harness on this cluster: tests/local-daemons DIR <paramref name="args"/>.</summary>
    public Sh.Result Harness(params string[] args) =>
        Sh.RunToFiles([RepoPaths.LocalDaemons, Directory, .. args], timeout: s_harnessTimeout);

    /// <summary>Runs the harness and throws with its output and the logs unless it succeeds.</summary>
    public Sh.Result Check(params string[] args)
    {
        var r = Harness(args);
        return r.Ok ? r : throw new InvalidOperationException($"{Name}: local-daemons {string.Join(' ', args)} failed: {r}\n{LogTail()}");
    }

    /// <summary>Runs a harness command that must succeed (else the test fails) and returns its stdout.</summary>
    public string Ok(params string[] args)
    {
        var r = Harness(args);
        Assert.True(r.Ok, $"local-daemons {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    /// <summary>Runs the real ctdb tool against node <paramref name="pnn"/>.</summary>
    public Sh.Result Ctdb(int pnn, IEnumerable<string> args, string? stdin = null) =>
        Sh.RunToFiles([RepoPaths.LocalDaemons, Directory, "ctdb", pnn.ToString(CultureInfo.InvariantCulture), .. args], stdin, s_toolTimeout);

    public Sh.Result Ctdb(int pnn, params string[] args) => Ctdb(pnn, args, null);

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
        if (Daemon == DaemonKind.Ours)
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

    /// <summary>The last lines of every log file below the directory, for failure messages.</summary>
    public string LogTail(int lines = 40)
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return "";
        }
        var sb = new System.Text.StringBuilder();
        // The harness keeps each node's log in node.PNN/log and real ctdbd's output in ctdbd.out.
        foreach (var f in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories)
                     .Where(f => Path.GetFileName(f) is "log" or "ctdbd.out" || f.EndsWith(".log", StringComparison.Ordinal)))
        {
            var all = File.ReadAllLines(f);
            sb.Append("== ").AppendLine(f);
            foreach (var l in all.Skip(Math.Max(0, all.Length - lines)))
            {
                sb.AppendLine(l);
            }
        }
        return sb.ToString();
    }

    private void WaitNode0Answers(TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        Sh.Result? last = null;
        while (sw.Elapsed < timeout)
        {
            if (Daemon == DaemonKind.Ours)
            {
                last = Ctdb(0, "pnn");
                if (last.Ok)
                {
                    return;
                }
            }
            else
            {
                last = Ctdb(0, "runstate");
                if (last.Ok && last.Stdout.Trim() == "RUNNING")
                {
                    last = Ctdb(0, "nodestatus");
                    if (last.Ok)
                    {
                        return;
                    }
                }
            }
            Thread.Sleep(200);
        }
        throw new TimeoutException($"{Name} cluster in {Directory} not ready after {timeout}: {last}\n{LogTail()}");
    }
}
