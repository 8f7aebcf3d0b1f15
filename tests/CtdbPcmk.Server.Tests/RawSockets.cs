// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using CtdbPcmk.Client;

namespace CtdbPcmk.Server.Tests;

/// <summary>Raw client-socket work for tests that need more than the client library allows (partial or unread packets).</summary>
internal static class RawSockets
{
    public static Socket RawConnect(DaemonFixture daemon)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(daemon.SocketPath));
        s.ReceiveTimeout = 30_000;
        return s;
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    public static long Receive(Socket s, long count)
    {
        var buffer = new byte[1 << 16];
        long received = 0;
        while (received < count)
        {
            int n = s.Receive(buffer, 0, (int)Math.Min(buffer.Length, count - received), SocketFlags.None);
            Assert.True(n > 0, $"closed after {received} of {count} bytes");
            received += n;
        }
        return received;
    }

    /// <summary>Reads until the daemon closes; returns the bytes read (0: closed without a reply).</summary>
    public static int ReadAll(Socket s, out bool closed)
    {
        var buffer = new byte[4096];
        int total = 0;
        while (true)
        {
            int n;
            try
            {
                n = s.Receive(buffer);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                n = 0; // closed with the request unread
            }
            if (n == 0)
            {
                closed = true;
                return total;
            }
            total += n;
        }
    }

    public static bool Eventually(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if (condition())
                {
                    return true;
                }
            }
            catch (Exception e) when (e is CtdbConnectionException or IOException or SocketException)
            {
            }
            Thread.Sleep(20);
        }
        return false;
    }
}
