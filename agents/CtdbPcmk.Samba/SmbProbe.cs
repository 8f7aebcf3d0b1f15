// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Samba;

/// <summary>
/// Sends an SMB2 NEGOTIATE to smbd and reads the answer, all within one timeout. Plain blocking
/// socket calls with SO_SNDTIMEO/SO_RCVTIMEO: no event loop, no thread pool, nothing started
/// besides the one socket.
/// </summary>
internal static class SmbProbe
{
    // Any fixed value: smbd only records it for the connection the probe closes at once.
    private static readonly Guid s_clientGuid = new("6374646b-7063-6d6b-2d73-616d62612d31");

    public static ProbeResult Negotiate(IPEndPoint endpoint, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var fd = LinuxSocket.Open(Family(endpoint), LinuxSocket.SockStream, 0);
        try
        {
            LinuxSocket.SetTimeout(fd, LinuxSocket.SoSndTimeo, timeout);
            LinuxSocket.Connect(fd, LinuxSocket.InetAddress(endpoint));
        }
        catch (ErrnoException e) when (e.Errno == Errno.ECONNREFUSED)
        {
            return new ProbeResult(ProbeOutcome.NotListening, $"nothing listens on {endpoint}");
        }
        catch (ErrnoException e) when (e.Errno is Errno.EINPROGRESS or Errno.ETIMEDOUT)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"connecting to {endpoint} timed out after {timeout.TotalSeconds:0.#} s");
        }
        catch (ErrnoException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"cannot connect to {endpoint}: {e.Message}");
        }
        try
        {
            Span<byte> request = stackalloc byte[Smb2Negotiate.RequestSize];
            Smb2Negotiate.WriteRequest(request, s_clientGuid);
            LinuxSocket.SetTimeout(fd, LinuxSocket.SoSndTimeo, Remaining(timeout, clock));
            if (LinuxSocket.SendTo(fd, request, default) != request.Length)
            {
                return new ProbeResult(ProbeOutcome.NotAnswering, $"NEGOTIATE to {endpoint} was not sent whole");
            }
            var buffer = new byte[Smb2Negotiate.MaxReplySize + Smb2Negotiate.FrameHeaderSize];
            var filled = 0;
            while (true)
            {
                LinuxSocket.SetTimeout(fd, LinuxSocket.SoRcvTimeo, Remaining(timeout, clock));
                var n = LinuxSocket.Receive(fd, buffer.AsSpan(filled));
                if (n == 0)
                {
                    return new ProbeResult(ProbeOutcome.NotAnswering, $"{endpoint} closed the connection before answering NEGOTIATE");
                }
                filled += n;
                if (Smb2Negotiate.TryReadResponse(buffer.AsSpan(0, filled), out var reply, out _))
                {
                    return reply.IsSuccess
                        ? new ProbeResult(ProbeOutcome.Answered, $"{endpoint} negotiated {reply.Describe()}")
                        : new ProbeResult(ProbeOutcome.NotAnswering, $"{endpoint} refused NEGOTIATE with {reply.Describe()}");
                }
            }
        }
        catch (ErrnoException e) when (e.Errno is Errno.EAGAIN)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"{endpoint} did not answer NEGOTIATE within {timeout.TotalSeconds:0.#} s");
        }
        catch (ErrnoException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"NEGOTIATE with {endpoint} failed: {e.Message}");
        }
        catch (Smb2ProtocolException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"{endpoint} sent a bad NEGOTIATE response: {e.Message}");
        }
    }

    private static int Family(IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? LinuxSocket.AfInet : LinuxSocket.AfInet6;

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock)
    {
        var left = timeout - clock.Elapsed;
        return left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1);
    }
}
