// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Linux;

/// <summary>Whether something accepts TCP connections on an address: a blocking connect, no thread pool.</summary>
public static class ListenProbe
{
    private static readonly TimeSpan s_recheck = TimeSpan.FromMilliseconds(100);

    /// <summary>True when something accepts TCP connections on <paramref name="endpoint"/>, or holds them unanswered.</summary>
    public static bool IsListening(IPEndPoint endpoint, TimeSpan timeout)
    {
        var family = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? LinuxSocket.AfInet : LinuxSocket.AfInet6;
        using var fd = LinuxSocket.Open(family, LinuxSocket.SockStream, 0);
        try
        {
            LinuxSocket.SetTimeout(fd, LinuxSocket.SoSndTimeo, timeout);
            LinuxSocket.Connect(fd, LinuxSocket.InetAddress(endpoint));
            return true;
        }
        catch (ErrnoException e) when (e.Errno is Errno.EINPROGRESS or Errno.ETIMEDOUT)
        {
            // Accepted by nobody in time, yet not refused: a full backlog of a hung listener.
            return true;
        }
        catch (ErrnoException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when something still listens once <paramref name="settle"/> has passed. A killed
    /// multi-threaded server shows as exited in /proc while its last threads still close its
    /// sockets, so a listener seen right after an exit is given that long to go.
    /// </summary>
    public static bool StillListening(IPEndPoint endpoint, TimeSpan timeout, TimeSpan settle)
    {
        var end = DateTime.UtcNow + settle;
        while (IsListening(endpoint, timeout))
        {
            if (DateTime.UtcNow >= end)
            {
                return true;
            }
            Thread.Sleep(s_recheck);
        }
        return false;
    }
}
