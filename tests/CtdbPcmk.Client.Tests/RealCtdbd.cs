// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Client.Tests;

/// <summary>
/// A real single-node ctdbd started for the test run (tests/bench/ctdbd-single: own temp
/// directory, own network namespace) and shut down by its PID afterwards.
/// </summary>
public sealed class RealCtdbd : IDisposable
{
    private readonly string _script;
    private readonly string _dir;

    public RealCtdbd()
    {
        _script = Path.Combine(RepoRoot(), "tests", "bench", "ctdbd-single");
        _dir = Directory.CreateTempSubdirectory("ctdbpcmk-client-tests-").FullName;
        try
        {
            string output = Run(_script, [_dir, "start"], null, TimeSpan.FromSeconds(60)).Trim();
            string[] parts = output.Split(' ');
            SocketPath = parts[0];
            Pid = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
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
        Run("ctdb", args, new Dictionary<string, string>
        {
            ["CTDB_TEST_MODE"] = "yes",
            ["CTDB_BASE"] = NodeDir,
            ["CTDB_SOCKET"] = SocketPath,
        }, TimeSpan.FromSeconds(30));

    public void Dispose()
    {
        try
        {
            Run(_script, [_dir, "stop"], null, TimeSpan.FromSeconds(60));
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
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
