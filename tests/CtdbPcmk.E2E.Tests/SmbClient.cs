// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// One SMB client at the box's client address (smb-session.py, impacket), driven command by
/// command so that it can hold a session and a durable handle across a failover. Every answer is
/// timestamped on arrival. Killed by its PID when disposed (through the box's tracking).
/// </summary>
internal sealed class SmbClient
{
    private readonly Process _process;

    private SmbClient(Process process) => _process = process;

    public static SmbClient Start(Box box)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "smb-session.py");
        var info = Sh.Info([RepoPaths.Box, box.Dir, "client", "/usr/bin/python3", script]);
        info.RedirectStandardInput = true;
        return new SmbClient(box.Track(Process.Start(info)!));
    }

    /// <summary>Sends one command; returns its answer line and the monotonic time it arrived.</summary>
    public (string Answer, long AtNs) Do(string command, int timeoutMs = 60_000)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        var read = _process.StandardOutput.ReadLineAsync();
        if (!read.Wait(timeoutMs))
        {
            throw new TimeoutException($"SMB client gave no answer to '{command}' within {timeoutMs} ms");
        }

        var at = TcpPeers.MonotonicNs();
        return (read.Result ?? $"(no output, exit {(_process.HasExited ? _process.ExitCode : -1)}: {_process.StandardError.ReadToEnd()})", at);
    }

    /// <summary>Runs a command that must succeed; returns the text after "OK".</summary>
    public string Ok(string command, int timeoutMs = 60_000)
    {
        var (answer, _) = Do(command, timeoutMs);
        Assert.True(answer == "OK" || answer.StartsWith("OK ", StringComparison.Ordinal), $"{command}: {answer}");
        return answer.Length > 3 ? answer[3..] : "";
    }

    /// <summary>
    /// Connects to <paramref name="address"/> again and again (each try bounded by one second)
    /// until a session is up; returns when it was.
    /// </summary>
    public long Reconnect(string address, TimeSpan within)
    {
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var (answer, at) = Do($"connect {address} 1");
            if (answer == "OK")
            {
                return at;
            }

            Assert.True(watch.Elapsed < within, $"no SMB session to {address} after {within.TotalSeconds:F0} s: {answer}");
            Thread.Sleep(20);
        }
    }
}
