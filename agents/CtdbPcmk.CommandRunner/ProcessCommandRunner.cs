// SPDX-License-Identifier: GPL-3.0-or-later
using System.ComponentModel;
using System.Diagnostics;

namespace CtdbPcmk.CommandRunner;

/// <summary>
/// <see cref="ICommandRunner"/> over real processes. Counts the processes it starts so benchmarks
/// and tests can assert how many an action spawned.
/// </summary>
public sealed class ProcessCommandRunner : ICommandRunner
{
    private static int s_spawned;

    /// <summary>The shared instance.</summary>
    public static ProcessCommandRunner Instance { get; } = new();

    /// <summary>Number of processes started by any runner in this process.</summary>
    public static int SpawnedProcesses => Volatile.Read(ref s_spawned);

    /// <inheritdoc/>
    public string? Find(string program)
    {
        if (program.Contains('/'))
        {
            return IsExecutable(program) ? program : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (IsExecutable(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    /// <inheritdoc/>
    public CommandResult Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout, string? stdin = null)
    {
        var path = Find(program) ?? throw new CommandNotFoundException(program);
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CommandNotFoundException($"{program} ({e.Message})");
        }
        Interlocked.Increment(ref s_spawned);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
        {
            try
            {
                process.StandardInput.Write(stdin);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The program exited without reading its input; its exit status tells the rest.
            }
        }
        var timedOut = !process.WaitForExit(timeout);
        if (timedOut)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the timeout and the kill.
            }
            process.WaitForExit();
        }
        else
        {
            // Also waits for the redirected streams to reach end of file.
            process.WaitForExit();
        }
        return new CommandResult(timedOut ? -1 : process.ExitCode, stdout.GetAwaiter().GetResult(), stderr.GetAwaiter().GetResult(), timedOut);
    }

    private static bool IsExecutable(string path)
    {
        try
        {
            // Agents run on Linux only; the guard keeps the platform analyzer satisfied.
            return File.Exists(path) && !OperatingSystem.IsWindows()
                && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
