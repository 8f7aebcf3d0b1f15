// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// What /proc says about a daemon: anonymous RSS (RssAnon, kB), open descriptors, mapped TDB
/// files. Sampled often on a thread of its own; the peak is kept. A database file is one below
/// <paramref name="databases"/> when given, else one whose name has ".tdb" in it (a database
/// attached under another name is then counted as an open descriptor).
/// </summary>
public sealed class ProcessWatch(int pid, string? databases = null) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Thread? _thread;
    private bool _disposed;

    public int Pid => pid;
    public long PeakRssAnonKb { get; private set; }
    public long Samples { get; private set; }

    public bool Alive => File.Exists($"/proc/{pid}/status") && !IsZombie();

    /// <summary>RssAnon in kB, or -1 when the process is gone.</summary>
    public long RssAnonKb()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(8).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return -1;
    }

    /// <summary>
    /// Open descriptors other than database files (those belong to attached databases, which
    /// stay attached), or -1 when the process is gone.
    /// </summary>
    public int OpenFds()
    {
        try
        {
            return Directory.GetFileSystemEntries($"/proc/{pid}/fd")
                .Count(fd => !IsDatabase(new FileInfo(fd).LinkTarget ?? ""));
        }
        catch (IOException)
        {
            return -1;
        }
        catch (UnauthorizedAccessException)
        {
            return -1;
        }
    }

    /// <summary>
    /// What the descriptors other than database files point at ("socket:[123]", a path...),
    /// empty when the process is gone.
    /// </summary>
    public List<string> FdTargets()
    {
        try
        {
            return [.. Directory.GetFileSystemEntries($"/proc/{pid}/fd")
                .Select(fd => new FileInfo(fd).LinkTarget ?? "?")
                .Where(target => !IsDatabase(target))];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Distinct TDB files the process has mapped.</summary>
    public int MappedTdbs()
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/maps")
                .Select(l => l.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(f => f.Length == 6 && IsDatabase(f[5]))
                .Select(f => f[5]).Distinct().Count();
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private bool IsDatabase(string path) => databases is { } root
        ? path.StartsWith(root + "/", StringComparison.Ordinal)
        : path.Contains(".tdb", StringComparison.Ordinal);

    public void Start(TimeSpan interval)
    {
        PeakRssAnonKb = RssAnonKb();
        _thread = new Thread(() =>
        {
            while (!_stop.IsCancellationRequested)
            {
                long rss = RssAnonKb();
                if (rss > PeakRssAnonKb)
                {
                    PeakRssAnonKb = rss;
                }
                Samples++;
                _stop.Token.WaitHandle.WaitOne(interval);
            }
        })
        { IsBackground = true, Name = "rss-sampler" };
        _thread.Start();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _stop.Cancel();
        _thread?.Join();
        _stop.Dispose();
    }

    private bool IsZombie()
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            int close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (IOException)
        {
            return true;
        }
    }
}
