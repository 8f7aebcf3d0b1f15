// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>Runs external programs for the process and harness tests.</summary>
internal static class Run
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
    }

    /// <summary>The repository's top folder, found from the test assembly's location.</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The built daemon: $CTDBPCMK_DAEMON, else the Release build in the repository.</summary>
    public static string DaemonPath =>
        Environment.GetEnvironmentVariable("CTDBPCMK_DAEMON") is { Length: > 0 } p
            ? p
            : Path.Combine(RepoRoot, "daemon/CtdbPcmk.Daemon/bin/Release/net10.0/ctdb-pcmkd");

    public static string Harness => Path.Combine(RepoRoot, "tests/local-daemons");

    public static Result Program(string file, IEnumerable<string> args, TimeSpan? timeout = null,
        IDictionary<string, string>? env = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var (k, v) in env ?? new Dictionary<string, string>())
            psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout ?? TimeSpan.FromSeconds(120)))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish\n{stdout.Result}\n{stderr.Result}");
        }
        return new Result(p.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the harness script with <paramref name="args"/>.</summary>
    public static Result LocalDaemons(params string[] args) => Program(Harness, args);

    public static bool ProcessExists(int pid)
    {
        // /proc/PID vanishes once the process is reaped; a zombie still counts as present.
        return Directory.Exists($"/proc/{pid}");
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CtdbPcmk.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("CtdbPcmk.sln not found above " + AppContext.BaseDirectory);
    }
}
