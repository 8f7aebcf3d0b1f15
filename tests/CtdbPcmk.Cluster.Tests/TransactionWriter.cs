// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Runs "ctdb ptrans" on one node in a loop on its own thread. Commit i writes key-i = value-i
/// and, when i is a positive multiple of 3, deletes key-(i-3) in the same transaction. Each
/// outcome is recorded: acknowledged (exit 0) or unknown (failed or timed out: it may or may not
/// have been applied).
/// </summary>
internal sealed class TransactionWriter : IDisposable
{
    private readonly LocalCluster _cluster;
    private readonly int _pnn;
    private readonly string _db;
    private readonly Thread _thread;
    private readonly List<bool> _acked = [];
    private readonly List<string> _failures = [];
    private readonly Lock _lock = new();
    private volatile bool _stop;
    private int _issued;

    public TransactionWriter(LocalCluster cluster, int pnn, string db)
    {
        _cluster = cluster;
        _pnn = pnn;
        _db = db;
        _thread = new Thread(Loop) { IsBackground = true, Name = "ptrans-writer" };
        _thread.Start();
    }

    /// <summary>Commits started so far (commit numbers below this have been issued).</summary>
    public int Issued => Volatile.Read(ref _issued);

    /// <summary>Finished commits, in order: true = acknowledged.</summary>
    public IReadOnlyList<bool> Outcomes
    {
        get
        {
            lock (_lock)
            {
                return [.. _acked];
            }
        }
    }

    public int AckedCount
    {
        get
        {
            lock (_lock)
            {
                return _acked.Count(a => a);
            }
        }
    }

    public string Failures
    {
        get
        {
            lock (_lock)
            {
                return string.Join("\n", _failures.TakeLast(10));
            }
        }
    }

    public static string Key(int i) => $"key-{i}";

    public static string Value(int i) => $"value-{i}";

    /// <summary>The key commit <paramref name="i"/> deletes, or -1.</summary>
    public static int Deletes(int i) => i > 0 && i % 3 == 0 ? i - 3 : -1;

    /// <summary>Waits until <paramref name="count"/> more commits than <paramref name="since"/> are acknowledged.</summary>
    public void WaitAcked(int since, int count, TimeSpan timeout, string what)
    {
        var sw = Stopwatch.StartNew();
        while (AckedCount < since + count)
        {
            if (sw.Elapsed > timeout)
            {
                throw new TimeoutException($"{_cluster.Name}: {what}: {AckedCount - since} of {count} commits acknowledged within {timeout.TotalSeconds:F0} s; last failures:\n{Failures}\n{_cluster.LogTail()}");
            }
            Thread.Sleep(20);
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
        for (int i = 0; !_stop; i++)
        {
            Volatile.Write(ref _issued, i + 1);
            string input = $"\"{Key(i)}\" \"{Value(i)}\"\n";
            if (Deletes(i) >= 0)
            {
                input += $"\"{Key(Deletes(i))}\" \"\"\n";
            }
            bool ok;
            string why = "";
            try
            {
                var r = _cluster.Ctdb(_pnn, ["ptrans", _db], input);
                ok = r.Ok;
                why = r.ToString();
            }
            catch (TimeoutException e)
            {
                ok = false;
                why = e.Message;
            }
            lock (_lock)
            {
                _acked.Add(ok);
                if (!ok)
                {
                    _failures.Add($"commit {i}: {why}");
                }
            }
        }
    }
}
