// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// One SMB2 session to an smbd (smb-client.py, impacket) that keeps a file open and byte-range
/// locks held between commands. Killed by its PID on dispose if it is still running.
/// </summary>
internal sealed class SmbSession : IDisposable
{
    /// <summary>NT_STATUS_LOCK_NOT_GRANTED: a conflicting lock is held.</summary>
    public const string LockNotGranted = "ERR 0xc0000055";

    /// <summary>NT_STATUS_SHARING_VIOLATION.</summary>
    public const string SharingViolation = "ERR 0xc0000043";

    private readonly Process _process;

    private SmbSession(Process process) => _process = process;

    public static SmbSession Connect(ClusteredSmbd smbd)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "smb-client.py");
        var psi = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in smbd.Namespace.Exec("/usr/bin/python3", script, "127.0.0.1", "share"))
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the SMB client");
        var session = new SmbSession(p);
        try
        {
            string line = session.ReadLine();
            return line == "READY" ? session : throw new InvalidOperationException($"SMB client: {line} {p.StandardError.ReadToEnd()}");
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Sends one command and returns its answer ("OK" or "ERR 0x...").</summary>
    public string Do(string command)
    {
        _process.StandardInput.WriteLine(command);
        _process.StandardInput.Flush();
        return ReadLine();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.StandardInput.Close();
                if (!_process.WaitForExit(TimeSpan.FromSeconds(10)))
                {
                    _process.Kill();
                    _process.WaitForExit();
                }
            }
        }
        catch (IOException)
        {
            // The client already went away.
        }
        _process.Dispose();
    }

    private string ReadLine()
    {
        var read = _process.StandardOutput.ReadLineAsync();
        if (!read.Wait(TimeSpan.FromSeconds(60)))
        {
            _process.Kill();
            throw new TimeoutException("SMB client did not answer within 60 s");
        }
        return read.Result ?? $"(no output, exit {(_process.HasExited ? _process.ExitCode : -1)}: {_process.StandardError.ReadToEnd()})";
    }
}
