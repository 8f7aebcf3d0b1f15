// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// A cluster laid out, started and torn down by the tests/local-daemons harness in a
/// private temporary directory. Commands of the real ctdb tool go through the harness so
/// they get the same environment a person would use.
/// </summary>
internal sealed class LocalCluster : IAsyncDisposable
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);
    private bool _setUp;

    private LocalCluster(DaemonKind impl, string directory, int nodes)
    {
        Kind = impl;
        Directory = directory;
        Nodes = nodes;
    }

    public DaemonKind Kind { get; }

    /// <summary>The cluster's own directory; every path the daemon reports lies below it.</summary>
    public string Directory { get; }

    public int Nodes { get; }

    /// <summary>Unix socket of node 0.</summary>
    public string SocketPath { get; private set; } = "";

    public string ImplName => Kind == DaemonKind.Ctdb ? "ctdb" : "ours";

    /// <summary>
    /// Sets up and starts a cluster and waits until node 0 is RUNNING and healthy. On any
    /// failure everything started so far is torn down before the exception leaves.
    /// </summary>
    public static async Task<LocalCluster> StartAsync(DaemonKind impl, int nodes = 1)
    {
        // Short names: the socket path below it must stay within sun_path's 108 bytes.
        string dir = Path.Combine(Path.GetTempPath(), $"cpconf-{(impl == DaemonKind.Ctdb ? "ctdb" : "ours")}-{Guid.NewGuid().ToString("N")[..12]}");
        var c = new LocalCluster(impl, dir, nodes);
        try
        {
            await c.HarnessCheckAsync("setup", nodes.ToString(System.Globalization.CultureInfo.InvariantCulture), "--impl", c.ImplName).ConfigureAwait(false);
            c._setUp = true;
            await c.StartNodesAsync().ConfigureAwait(false);
            c.SocketPath = (await c.HarnessCheckAsync("socket", "0").ConfigureAwait(false)).Stdout.Trim();
            await c.WaitReadyAsync().ConfigureAwait(false);
            return c;
        }
        catch
        {
            await c.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs the real ctdb tool against node <paramref name="pnn"/>.</summary>
    public Task<CommandResult> CtdbAsync(IReadOnlyList<string> args, string? stdin = null, int pnn = 0) =>
        ProcessRunner.RunAsync(
            RepoPaths.LocalDaemons,
            new[] { Directory, "ctdb", pnn.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(args),
            stdin);

    public Task<CommandResult> CtdbAsync(params string[] args) => CtdbAsync(args, null);

    /// <summary>The daemon's own log files, for failure messages.</summary>
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

    public async ValueTask DisposeAsync()
    {
        if (_setUp)
        {
            _setUp = false;
            var r = await ProcessRunner.RunAsync(RepoPaths.LocalDaemons, [Directory, "teardown"]).ConfigureAwait(false);
            if (r.ExitCode != 0)
            {
                throw new InvalidOperationException($"teardown of {Directory} failed: {r}");
            }
        }
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    private async Task StartNodesAsync()
    {
        // The daemons inherit the harness's stdout/stderr; a log file instead of a pipe keeps
        // this call from waiting for them to exit.
        string log = Path.Combine(Directory, "harness-start.out");
        CommandResult r;
        try
        {
            r = await StartAllAsync(log).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{ImplName}: {e.Message}: {File.ReadAllText(log)}\n{LogTail()}", e);
        }
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{ImplName}: local-daemons start all failed (exit {r.ExitCode}): {File.ReadAllText(log)}\n{LogTail()}");
        }
    }

    private Task<CommandResult> StartAllAsync(string log) =>
        ProcessRunner.RunAsync(
            "/bin/sh",
            ["-c", "exec \"$0\" \"$@\" >>\"$LOG\" 2>&1 </dev/null", RepoPaths.LocalDaemons, Directory, "start", "all"],
            env: new Dictionary<string, string> { ["LOG"] = log },
            // Longer than the harness's own start timeout, so its message about why is what shows.
            timeout: TimeSpan.FromSeconds(150));

    /// <summary>
    /// Real ctdbd is ready for the tests once its runstate is RUNNING and node 0 is healthy:
    /// after the socket opens it still runs its startup and first monitor events, which takes
    /// seconds. ctdb-pcmkd has no event scripts and is complete when it answers its socket, so
    /// for it one control round trip suffices and any other difference shows in the tests.
    /// </summary>
    private async Task WaitReadyAsync()
    {
        var sw = Stopwatch.StartNew();
        CommandResult? last = null;
        while (sw.Elapsed < s_readyTimeout)
        {
            if (Kind == DaemonKind.Ours)
            {
                last = await CtdbAsync("pnn").ConfigureAwait(false);
                if (last.ExitCode == 0)
                {
                    return;
                }
            }
            else
            {
                last = await CtdbAsync("runstate").ConfigureAwait(false);
                if (last.ExitCode == 0 && last.Stdout.Trim() == "RUNNING")
                {
                    last = await CtdbAsync("nodestatus").ConfigureAwait(false);
                    if (last.ExitCode == 0)
                    {
                        return;
                    }
                }
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
        throw new TimeoutException($"{ImplName} cluster in {Directory} not ready after {s_readyTimeout}: {last}\n{LogTail()}");
    }

    private async Task<CommandResult> HarnessCheckAsync(params string[] args)
    {
        var r = await ProcessRunner.RunAsync(RepoPaths.LocalDaemons, new[] { Directory }.Concat(args)).ConfigureAwait(false);
        if (r.ExitCode != 0)
        {
            throw new InvalidOperationException($"{ImplName}: local-daemons {string.Join(' ', args)} failed: {r}");
        }
        return r;
    }
}
