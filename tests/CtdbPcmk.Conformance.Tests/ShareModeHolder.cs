// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// An SMB client that keeps one file open with a chosen share mode until told to close it.
/// smbclient cannot do this (its "open" command always shares read and write), so this uses
/// Debian's Samba client library through its Python bindings (python3-samba), driven by lines
/// on a pipe this class owns.
/// </summary>
internal sealed class ShareModeHolder : IAsyncDisposable
{
    // Protocol with the test: prints "OPEN <fnum>" once the create succeeded (or "ERROR <status>"),
    // then waits for "close" on stdin, closes the handle and prints "CLOSED".
    private const string Script = """
        import sys
        from samba import credentials, NTSTATUSError
        import samba.samba3.param as s3param
        from samba.samba3 import libsmb_samba_internal as libsmb

        FILE_READ_DATA, FILE_WRITE_DATA = 0x1, 0x2
        FILE_SHARE_READ = 0x1
        FILE_OPEN_IF = 3

        # The source3 parameter context: the generic one leaves the client options unset.
        lp = s3param.get_context()
        lp.load("/dev/null")
        creds = credentials.Credentials()
        creds.guess(lp)
        creds.set_anonymous()
        try:
            conn = libsmb.Conn(sys.argv[1], sys.argv[2], lp, creds)
            fnum = conn.create(sys.argv[3], DesiredAccess=FILE_READ_DATA | FILE_WRITE_DATA,
                               ShareAccess=FILE_SHARE_READ, CreateDisposition=FILE_OPEN_IF)
        except NTSTATUSError as e:
            print("ERROR", hex(e.args[0] & 0xffffffff), e.args[1], flush=True)
            sys.exit(1)
        print("OPEN", fnum, flush=True)
        for line in sys.stdin:
            if line.strip() == "close":
                break
        conn.close(fnum)
        print("CLOSED", flush=True)
        """;

    private readonly Process _process;

    private ShareModeHolder(Process process) => _process = process;

    /// <summary>
    /// Opens <paramref name="remoteName"/> on //127.0.0.1/share for read and write, sharing
    /// read only (deny write), and returns once the server granted the open.
    /// </summary>
    public static async Task<ShareModeHolder> OpenDenyWriteAsync(NetNamespace ns, string workDir, string remoteName)
    {
        string script = Path.Combine(workDir, "share-mode-holder.py");
        await File.WriteAllTextAsync(script, Script);
        var psi = new ProcessStartInfo("ip")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var a in ns.Exec("/usr/bin/python3", script, "127.0.0.1", "share", remoteName))
        {
            psi.ArgumentList.Add(a);
        }
        var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the share-mode holder");
        var holder = new ShareModeHolder(p);
        try
        {
            string line = await holder.ReadLineAsync();
            if (!line.StartsWith("OPEN ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"deny-write open failed: {line} {await p.StandardError.ReadToEndAsync()}");
            }
            return holder;
        }
        catch
        {
            await holder.DisposeAsync();
            throw;
        }
    }

    /// <summary>Closes the handle and waits for the client to confirm and exit.</summary>
    public async Task CloseAsync()
    {
        await _process.StandardInput.WriteLineAsync("close");
        await _process.StandardInput.FlushAsync();
        string line = await ReadLineAsync();
        Assert.Equal("CLOSED", line);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(cts.Token);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private async Task<string> ReadLineAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _process.StandardOutput.ReadLineAsync(cts.Token)
            ?? $"(no output, exit {(_process.HasExited ? _process.ExitCode : -1)})";
    }
}
