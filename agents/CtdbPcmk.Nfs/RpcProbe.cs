// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Nfs;

/// <summary>The outcome of a probe: whether the server answered, and what was seen.</summary>
/// <param name="Answered">A valid, successful reply came back in time.</param>
/// <param name="Detail">What happened, for the log or an exit reason.</param>
public readonly record struct ProbeResult(bool Answered, string Detail);

/// <summary>Sends the RPC NULL call to the NFS port over TCP and waits for its reply: the server's own answer, no rpcinfo.</summary>
public static class RpcProbe
{
    private const int MaxReply = 1024;

    /// <summary>Calls NULL on <paramref name="server"/> within <paramref name="timeout"/>.</summary>
    public static ProbeResult Call(IPEndPoint server, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        var xid = (uint)Random.Shared.Next();
        try
        {
            using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.NoDelay = true;
            using (var connect = new CancellationTokenSource(timeout))
            {
                socket.ConnectAsync(server, connect.Token).AsTask().GetAwaiter().GetResult();
            }
            socket.Send(RpcNullCall.Encode(xid));
            var mark = new byte[4];
            Receive(socket, mark, Remaining(timeout, clock));
            var (length, _) = RpcNullCall.ReadMark(mark);
            if (length is <= 0 or > MaxReply)
            {
                return new ProbeResult(false, $"{server}: reply record of {length} bytes");
            }
            var record = new byte[length];
            Receive(socket, record, Remaining(timeout, clock));
            var problem = RpcNullCall.CheckReply(record, xid);
            return problem.Length == 0
                ? new ProbeResult(true, $"{server} answered NFSv4 NULL in {clock.Elapsed.TotalMilliseconds:F1} ms")
                : new ProbeResult(false, $"{server}: {problem}");
        }
        catch (OperationCanceledException)
        {
            return new ProbeResult(false, $"{server}: no connection within {timeout.TotalSeconds:0.#} s");
        }
        catch (TimeoutException)
        {
            return new ProbeResult(false, $"{server}: no NULL reply within {timeout.TotalSeconds:0.#} s");
        }
        catch (SocketException e)
        {
            return new ProbeResult(false, $"{server}: {e.Message}");
        }
    }

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock)
    {
        var left = timeout - clock.Elapsed;
        return left > TimeSpan.Zero ? left : throw new TimeoutException();
    }

    private static void Receive(Socket socket, byte[] buffer, TimeSpan timeout)
    {
        socket.ReceiveTimeout = Math.Max(1, (int)timeout.TotalMilliseconds);
        var done = 0;
        while (done < buffer.Length)
        {
            int n;
            try
            {
                n = socket.Receive(buffer, done, buffer.Length - done, SocketFlags.None);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                throw new TimeoutException();
            }
            if (n == 0)
            {
                throw new SocketException((int)SocketError.ConnectionReset);
            }
            done += n;
        }
    }
}
