// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Samba;

/// <summary>Sends an SMB2 NEGOTIATE to smbd and reads the answer, all within one timeout.</summary>
internal static class SmbProbe
{
    // Any fixed value: smbd only records it for the connection the probe closes at once.
    private static readonly Guid s_clientGuid = new("6374646b-7063-6d6b-2d73-616d62612d31");

    public static ProbeResult Negotiate(IPEndPoint endpoint, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (!Connect(socket, endpoint, timeout))
            {
                return new ProbeResult(ProbeOutcome.NotAnswering, $"connecting to {endpoint} timed out after {timeout.TotalSeconds:0.#} s");
            }
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
        {
            return new ProbeResult(ProbeOutcome.NotListening, $"nothing listens on {endpoint}");
        }
        catch (SocketException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"cannot connect to {endpoint}: {e.SocketErrorCode}");
        }
        try
        {
            Span<byte> request = stackalloc byte[Smb2Negotiate.RequestSize];
            Smb2Negotiate.WriteRequest(request, s_clientGuid);
            socket.SendTimeout = Remaining(timeout, clock);
            socket.Send(request);
            var buffer = new byte[Smb2Negotiate.MaxReplySize + Smb2Negotiate.FrameHeaderSize];
            var filled = 0;
            while (true)
            {
                socket.ReceiveTimeout = Remaining(timeout, clock);
                var n = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
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
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"{endpoint} did not answer NEGOTIATE within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"NEGOTIATE with {endpoint} failed: {e.SocketErrorCode}");
        }
        catch (Smb2ProtocolException e)
        {
            return new ProbeResult(ProbeOutcome.NotAnswering, $"{endpoint} sent a bad NEGOTIATE response: {e.Message}");
        }
    }

    /// <summary>True when something accepts TCP connections on <paramref name="endpoint"/>.</summary>
    public static bool IsListening(IPEndPoint endpoint, TimeSpan timeout)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            return Connect(socket, endpoint, timeout);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Connects within the timeout; false on timeout, SocketException on failure.</summary>
    private static bool Connect(Socket socket, IPEndPoint endpoint, TimeSpan timeout)
    {
        socket.Blocking = false;
        try
        {
            socket.Connect(endpoint);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.WouldBlock or SocketError.InProgress)
        {
            var micros = (int)Math.Clamp(timeout.TotalMicroseconds, 1, int.MaxValue);
            if (!socket.Poll(micros, SelectMode.SelectWrite) && !socket.Poll(0, SelectMode.SelectError))
            {
                return false;
            }
            var error = (SocketError)(int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.Error)!;
            if (error != SocketError.Success)
            {
                throw new SocketException((int)error);
            }
        }
        socket.Blocking = true;
        return true;
    }

    private static int Remaining(TimeSpan timeout, Stopwatch clock) =>
        (int)Math.Clamp((timeout - clock.Elapsed).TotalMilliseconds, 1, int.MaxValue);
}
