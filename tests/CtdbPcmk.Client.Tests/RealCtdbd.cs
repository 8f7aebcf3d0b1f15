// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Client.Tests;

/// <summary>
/// A real single-node ctdbd started for the test run with tests/local-daemons (own temp
/// directory, own network namespace), torn down afterwards (by PID, namespace deleted).
/// </summary>
public sealed class RealCtdbd : IDisposable
{
    private readonly string _script;
    private readonly string _dir;

    public RealCtdbd()
    {
        _script = Path.Combine(RepoRoot(), "tests", "local-daemons");
        _dir = Directory.CreateTempSubdirectory("ctdbpcmk-client-tests-").FullName;
        try
        {
            Run(_script, [_dir, "setup", "1", "--impl", "ctdb"], null, TimeSpan.FromSeconds(60));
            Run(_script, [_dir, "start", "all"], null, TimeSpan.FromSeconds(60));
            SocketPath = Run(_script, [_dir, "socket", "0"], null, TimeSpan.FromSeconds(10)).Trim();
            Pid = int.Parse(Run(_script, [_dir, "pid", "0"], null, TimeSpan.FromSeconds(10)).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            WaitUntilReady();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string SocketPath { get; } = "";

    public int Pid { get; }

    public string NodeDir => Path.Combine(_dir, "node.0");

    /// <summary>Runs the real ctdb tool against this daemon and returns its standard output.</summary>
    public string Ctdb(params string[] args) =>
        Run(_script, [_dir, "ctdb", "0", .. args], null, TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        try
        {
            Run(_script, [_dir, "teardown"], null, TimeSpan.FromSeconds(90));
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    /// <summary>The socket accepts before the first recovery is done; attaches wait for that.</summary>
    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using (var c = CtdbClient.Connect(SocketPath))
            {
                if (c.GetRunState() == Protocol.RunState.Running && c.GetRecMode() == Protocol.RecoveryMode.Normal)
                {
                    return;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("ctdbd did not reach RUNNING with recovery mode NORMAL within 60 s");
            }
            Thread.Sleep(100);
        }
    }

    private static string Run(string file, string[] args, Dictionary<string, string>? env, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }
        foreach (var (k, v) in env ?? [])
        {
            psi.Environment[k] = v;
        }
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout}");
        }
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {stderr.Result}");
        }
        return stdout.Result;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "CtdbPcmk.sln")))
            {
                return d.FullName;
            }
        }
        throw new InvalidOperationException("repository root (CtdbPcmk.sln) not found above " + AppContext.BaseDirectory);
    }
}
