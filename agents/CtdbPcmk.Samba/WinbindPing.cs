// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Samba;

/// <summary>Asks winbindd whether it runs (WINBINDD_PING on its public socket), with blocking calls and timeouts.</summary>
internal static class WinbindPing
{
    public static ProbeResult Ping(string socketPath, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var fd = LinuxSocket.Open(LinuxSocket.AfUnix, LinuxSocket.SockStream, 0);
        try
        {
            LinuxSocket.SetTimeout(fd, LinuxSocket.SoSndTimeo, timeout);
            LinuxSocket.Connect(fd, LinuxSocket.UnixAddress(socketPath));
        }
        catch (ErrnoException e) when (e.Errno is Errno.ECONNREFUSED or Errno.ENOENT)
        {
            return new ProbeResult(ProbeOutcome.NotListening, $"nothing listens on {socketPath}");
        }
        catch (ErrnoException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"cannot connect to {socketPath}: {e.Message}");
        }
        try
        {
            var request = new byte[WinbindProtocol.RequestSize];
            WinbindProtocol.WritePing(request, Environment.ProcessId);
            var sent = 0;
            while (sent < request.Length)
            {
                LinuxSocket.SetTimeout(fd, LinuxSocket.SoSndTimeo, Remaining(timeout, clock));
                sent += LinuxSocket.SendTo(fd, request.AsSpan(sent), default);
            }
            var response = new byte[WinbindProtocol.ResponseSize];
            var filled = 0;
            while (filled < response.Length)
            {
                LinuxSocket.SetTimeout(fd, LinuxSocket.SoRcvTimeo, Remaining(timeout, clock));
                var n = LinuxSocket.Receive(fd, response.AsSpan(filled));
                if (n == 0)
                {
                    return new ProbeResult(ProbeOutcome.NotAnswering, $"winbindd closed {socketPath} before answering PING");
                }
                filled += n;
            }
            var (_, result) = WinbindProtocol.ReadResponseHeader(response);
            return result == WinbindProtocol.ResultOk
                ? new ProbeResult(ProbeOutcome.Answered, "winbindd answered PING")
                : new ProbeResult(ProbeOutcome.NotAnswering, $"winbindd answered PING with result {result}");
        }
        catch (ErrnoException e) when (e.Errno is Errno.EAGAIN)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"winbindd did not answer PING on {socketPath} within {timeout.TotalSeconds:0.#} s");
        }
        catch (ErrnoException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"PING on {socketPath} failed: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"winbindd sent a bad PING response: {e.Message}");
        }
    }

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock)
    {
        var left = timeout - clock.Elapsed;
        return left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1);
    }
}
