// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Client;
using CtdbPcmk.Conntrack.Tracker;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>
/// Replay: the kernel's recorded NEW / DESTROY messages, copied for other clients, fed to the
/// tracker's real path (parse, table, batched PCMK_TCP_UPDATE into node 0 at every commit
/// interval) on one thread inside the server namespace, as fast as it takes them or at a fixed
/// rate. The thread's CPU time is the tracker's; the daemons' CPU times come from /proc.
/// </summary>
internal sealed class ReplayBench(BenchLab lab, EventRecorder.Recorded recorded, ReplayOptions options)
{
    /// <summary>Distinct connections in the ring of prepared messages (a slot is reused only after its connection closed).</summary>
    private const int Ring = 1 << 17;

    /// <summary>Messages between two looks at the commit timer (the tracker's loop reads 512 datagrams at a time).</summary>
    private const int Batch = 512;

    private readonly byte[][] _new = new byte[Ring][];
    private readonly byte[][] _destroy = new byte[Ring][];
    private readonly List<ReplayPhase> _phases = [];
    private ConnectionTracker _tracker = null!;
    private int _pid0;
    private int _pid1;

    public IReadOnlyList<ReplayPhase> Phases => _phases;

    /// <summary>Entries left in node 1's list after every phase closed what it opened.</summary>
    public int LeftOnNode1 { get; private set; }

    public void Run()
    {
        _pid0 = Pid(0);
        _pid1 = Pid(1);
        Span<byte> address = stackalloc byte[4];
        for (int i = 0; i < Ring; i++)
        {
            int host = i >> 14;
            address[0] = 10;
            address[1] = 80;
            address[2] = (byte)(host >> 8);
            address[3] = (byte)host;
            int port = 1024 + (i & 0x3FFF);
            _new[i] = recorded.New.For(address, port);
            _destroy[i] = recorded.Destroy.For(address, port);
        }
        lab.Server.Run(() =>
        {
            using var tracker = new ConnectionTracker(lab.Config(options.CommitInterval), lab.TrackerLog(), null, listen: false);
            _tracker = tracker;
            tracker.Refresh();
            if (tracker.Tracked.Count != 1)
            {
                throw new InvalidOperationException("the tracker does not track the public address");
            }
            int n = options.LongLived;
            Measure("long-lived: NEW", n, i => Feed(_new, i), n);
            Measure("long-lived: DESTROY", n, i => Feed(_destroy, i), 0);
            Churn("churn: NEW+DESTROY pairs", options.ChurnPairs, options.ChurnWindow, rate: 0);
            Churn("sustained churn: NEW+DESTROY pairs, longer lives", options.SustainedPairs, options.SustainedWindow, rate: 0);
            Churn($"churn at a fixed {options.FixedRate / 1000} k events/s", options.FixedRate * options.FixedSeconds / 2, options.FixedRate / 2, options.FixedRate);
            return 0;
        });
        Thread.Sleep(TimeSpan.FromSeconds(options.CommitInterval + 0.5));
        LeftOnNode1 = List(1).Count;
    }

    private void Feed(byte[][] messages, long i) => _tracker.Feed(messages[i % Ring]);

    /// <summary>Opens connections 0..pairs-1; each closes <paramref name="window"/> opens later.</summary>
    private void Churn(string name, long pairs, int window, int rate)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(window, Ring);
        long events = 2 * pairs;
        long middle = window + 2 * (pairs - window);
        Measure(name, events, e =>
        {
            // The first `window` events open, then each open is followed by the close of the
            // connection opened `window` opens before, and the last `window` events close.
            if (e < window)
            {
                Feed(_new, e);
            }
            else if (e < middle)
            {
                long k = window + (e - window) / 2;
                Feed(((e - window) & 1) == 0 ? _new : _destroy, ((e - window) & 1) == 0 ? k : k - window);
            }
            else
            {
                Feed(_destroy, pairs - window + (e - middle));
            }
        }, 0, rate);
    }

    private void Measure(string name, long events, Action<long> feed, int expectOnNode1, int rate = 0)
    {
        var before = _tracker.Counters.Committed;
        var commitsBefore = _tracker.Counters.Commits;
        var cpu0 = ThreadCpu.Current();
        var self0 = ThreadCpu.OfSelf();
        var n0 = ThreadCpu.OfProcess(_pid0);
        var n1 = ThreadCpu.OfProcess(_pid1);
        var interval = TimeSpan.FromSeconds(options.CommitInterval);
        var watch = Stopwatch.StartNew();
        var nextCommit = interval;
        for (long e = 0; e < events; e++)
        {
            feed(e);
            if ((e + 1) % Batch == 0)
            {
                if (rate > 0)
                {
                    var due = TimeSpan.FromSeconds((double)(e + 1) / rate);
                    while (watch.Elapsed < due)
                    {
                        Thread.Sleep(1);
                    }
                }
                if (watch.Elapsed >= nextCommit || interval == TimeSpan.Zero)
                {
                    _tracker.Commit();
                    nextCommit = watch.Elapsed + interval;
                }
            }
        }
        _tracker.Commit();
        var wall = watch.Elapsed;
        var cpu = ThreadCpu.Current() - cpu0;
        var self = ThreadCpu.OfSelf() - self0;
        TimeSpan? visible = null;
        if (expectOnNode1 > 0)
        {
            var wait = Stopwatch.StartNew();
            Wait.Until(() => List(1).Count >= expectOnNode1, TimeSpan.FromSeconds(60), $"{expectOnNode1} entries on node 1", pollMs: 20);
            visible = wait.Elapsed;
        }
        var phase = new ReplayPhase(name, events, wall, cpu, self,
            ThreadCpu.OfProcess(_pid0) - n0, ThreadCpu.OfProcess(_pid1) - n1,
            _tracker.Counters.Committed - before, _tracker.Counters.Commits - commitsBefore, visible);
        _phases.Add(phase);
        Console.Error.WriteLine($"conntrack-bench: replay {name}: {events} events in {wall.TotalMilliseconds:F0} ms = {phase.EventsPerSecond:F0}/s, tracker {phase.TrackerCores:F2} core, committed {phase.Committed}{(visible is { } v ? $", all on node 1 {v.TotalMilliseconds:F0} ms after" : "")}");
        // Let the daemons settle before the next phase's clock starts.
        Thread.Sleep(500);
    }

    private IReadOnlyList<Protocol.CtdbConnection> List(int pnn)
    {
        using var c = CtdbClient.Connect(lab.Cluster.Socket(pnn));
        c.Timeout = TimeSpan.FromSeconds(30);
        return c.GetTcpTickleList(BenchLab.Vip);
    }

    private int Pid(int pnn) => int.Parse(lab.Cluster.Check("pid", pnn.ToString(System.Globalization.CultureInfo.InvariantCulture)).Stdout.Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Sizes of the replay.</summary>
internal sealed record ReplayOptions(double CommitInterval, int LongLived, long ChurnPairs, int ChurnWindow, long SustainedPairs, int SustainedWindow, int FixedRate, int FixedSeconds);
