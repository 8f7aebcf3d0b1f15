// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net.Sockets;

namespace CtdbPcmk.Samba;

/// <summary>Asks winbindd whether it runs (WINBINDD_PING on its public socket).</summary>
internal static class WinbindPing
{
    public static ProbeResult Ping(string socketPath, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        if (!File.Exists(socketPath))
        {
            return new ProbeResult(ProbeOutcome.NotListening, $"winbindd socket {socketPath} does not exist");
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            // A Unix socket connects at once or fails at once.
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            return new ProbeResult(ProbeOutcome.NotListening, $"nothing listens on {socketPath}");
        }
        catch (SocketException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"cannot connect to {socketPath}: {e.SocketErrorCode}");
        }
        try
        {
            var request = new byte[WinbindProtocol.RequestSize];
            WinbindProtocol.WritePing(request, Environment.ProcessId);
            socket.SendTimeout = Remaining(timeout, clock);
            socket.Send(request);
            var response = new byte[WinbindProtocol.ResponseSize];
            var filled = 0;
            while (filled < response.Length)
            {
                socket.ReceiveTimeout = Remaining(timeout, clock);
                var n = socket.Receive(response, filled, response.Length - filled, SocketFlags.None);
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
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"winbindd did not answer PING on {socketPath} within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"PING on {socketPath} failed: {e.SocketErrorCode}");
        }
        catch (InvalidDataException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"winbindd sent a bad PING response: {e.Message}");
        }
    }

    private static int Remaining(TimeSpan timeout, Stopwatch clock) =>
        (int)Math.Clamp((timeout - clock.Elapsed).TotalMilliseconds, 1, int.MaxValue);
}
