// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using System.Text;

namespace CtdbPcmk.Linux;

/// <summary>Sends one request line to a Unix stream socket (the conntrack tracker's control socket) and reads one answer line.</summary>
public static class UnixLineClient
{
    /// <summary>
    /// The answer line; null when nothing listens at
    /// <paramref name="path"/> (no socket file, or nothing accepts).
    /// </summary>
    /// <exception cref="IOException">The listener accepted but did not answer within <paramref name="timeout"/>.</exception>
    public static string? Send(string path, string request, TimeSpan timeout)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException)
        {
            return null;
        }
        socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        socket.SendTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            socket.Send(Encoding.UTF8.GetBytes(request + "\n"));
            var buffer = new byte[4096];
            int length = 0;
            while (length < buffer.Length)
            {
                int n = socket.Receive(buffer, length, buffer.Length - length, SocketFlags.None);
                if (n == 0)
                {
                    break;
                }
                length += n;
                if (Array.IndexOf(buffer, (byte)'\n', 0, length) >= 0)
                {
                    break;
                }
            }
            return Encoding.UTF8.GetString(buffer, 0, length).Trim();
        }
        catch (SocketException e)
        {
            throw new IOException($"{path}: {request}: {e.Message}", e);
        }
    }
}
