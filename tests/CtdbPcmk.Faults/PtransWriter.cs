// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Faults;

/// <summary>
/// Runs "ctdb ptrans DB" against one node in a loop on its own thread (the tool takes the
/// database's g_lock and sends TRANS3_COMMIT, as smbd does), recording each commit's outcome in
/// its <see cref="WriteHistory"/>. While the node is down it waits instead of issuing commits.
/// </summary>
internal sealed class PtransWriter : IDisposable
{
    private static readonly TimeSpan s_limit = TimeSpan.FromSeconds(45);
    private readonly LocalCluster _cluster;
    private readonly Func<int, bool> _up;
    private readonly Thread _thread;
    private readonly List<string> _failures = [];
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private volatile bool _stop;
    private long _inFlightSinceMs = -1;
    private long _ackedMsTotal;
    private int _ackedCount;
    private int _hung;
    private readonly List<string> _commits = [];

    public PtransWriter(LocalCluster cluster, int pnn, string db, string prefix, Func<int, bool> up)
    {
        _cluster = cluster;
        _up = up;
        Pnn = pnn;
        Db = db;
        History = new WriteHistory(prefix);
        _thread = new Thread(Loop) { IsBackground = true, Name = $"ptrans-{prefix}" };
        _thread.Start();
    }

    public int Pnn { get; }

    public string Db { get; }

    public WriteHistory History { get; }

    /// <summary>Every commit: start and end (UTC), writer, number, node and outcome, for the evidence of a failed run.</summary>
    public IReadOnlyList<string> CommitLog
    {
        get
        {
            lock (_lock)
            {
                return [.. _commits];
            }
        }
    }

    /// <summary>A commit is running now (its tool process has started and not ended).</summary>
    public bool InFlight => Volatile.Read(ref _inFlightSinceMs) >= 0;

    /// <summary>Milliseconds since the running commit's tool started, or -1.</summary>
    public long InFlightForMs
    {
        get
        {
            long since = Volatile.Read(ref _inFlightSinceMs);
            return since < 0 ? -1 : _clock.ElapsedMilliseconds - since;
        }
    }

    /// <summary>Mean duration of acknowledged commits so far (ms), 50 before the first.</summary>
    public double MeanAckedMs
    {
        get
        {
            int n = Volatile.Read(ref _ackedCount);
            return n == 0 ? 50 : (double)Interlocked.Read(ref _ackedMsTotal) / n;
        }
    }

    /// <summary>Commits whose tool was still running at the limit and was killed.</summary>
    public int Hung => Volatile.Read(ref _hung);

    public IReadOnlyList<string> LastFailures(int n)
    {
        lock (_lock)
        {
            return [.. _failures.TakeLast(n)];
        }
    }

    /// <summary>Stops after the commit in progress.</summary>
    public void Stop()
    {
        _stop = true;
        _thread.Join();
    }

    public void Dispose() => Stop();

    private void Loop()
    {
        for (int i = 0; !_stop;)
        {
            if (!_up(Pnn))
            {
                Thread.Sleep(20);
                continue;
            }
            Volatile.Write(ref _inFlightSinceMs, _clock.ElapsedMilliseconds);
            var started = DateTime.UtcNow;
            var r = CtdbTool.Run(_cluster, Pnn, ["ptrans", Db], History.PtransInput(i), s_limit);
            Volatile.Write(ref _inFlightSinceMs, -1);
            History.Record(r.Ok);
            lock (_lock)
            {
                _commits.Add(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{started:HH:mm:ss.fff} {DateTime.UtcNow:HH:mm:ss.fff} {History.Prefix} {i} node {Pnn} {(r.Ok ? "acked" : $"exit {r.Code}")}"));
            }
            if (r.Ok)
            {
                Interlocked.Add(ref _ackedMsTotal, (long)r.Took.TotalMilliseconds);
                Interlocked.Increment(ref _ackedCount);
            }
            else
            {
                if (r.Code == -1)
                {
                    Interlocked.Increment(ref _hung);
                }
                lock (_lock)
                {
                    _failures.Add($"{History.Prefix} commit {i} on node {Pnn}: exit {r.Code}: {r.Output}");
                    if (_failures.Count > 200)
                    {
                        _failures.RemoveRange(0, 100);
                    }
                }
                Thread.Sleep(50);
            }
            i++;
        }
    }
}
