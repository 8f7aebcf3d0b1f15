// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>
/// A NETLINK_NETFILTER socket subscribed to the kernel's conntrack event groups (new, update,
/// destroy) of the current network namespace. Each receive returns one or more whole netlink
/// messages. When the kernel had to drop events because the receive buffer was full, the next
/// receive reports it (<see cref="ReceiveResult.Overrun"/>): the reader must then learn the
/// current state another way, for the events themselves are gone.
/// </summary>
public sealed class ConntrackEventSocket : IDisposable
{
    private const int NetlinkNetfilter = 12;
    private const int GroupNew = 1;
    private const int GroupUpdate = 2;
    private const int GroupDestroy = 3;
    private const int SockaddrNlSize = 12;

    private readonly SafeFdHandle _fd;

    /// <summary>Opens and subscribes; <paramref name="receiveBuffer"/> bytes of kernel buffer (root may exceed rmem_max).</summary>
    public ConntrackEventSocket(int receiveBuffer, TimeSpan receiveTimeout)
    {
        _fd = LinuxSocket.Open(LinuxSocket.AfNetlink, LinuxSocket.SockRaw, NetlinkNetfilter);
        try
        {
            Span<byte> address = stackalloc byte[SockaddrNlSize];
            address.Clear();
            MemoryMarshal.Write(address, (ushort)LinuxSocket.AfNetlink);
            uint groups = (1u << (GroupNew - 1)) | (1u << (GroupUpdate - 1)) | (1u << (GroupDestroy - 1));
            MemoryMarshal.Write(address[8..], groups);
            LinuxSocket.Bind(_fd, address);
            try
            {
                LinuxSocket.SetOption(_fd, LinuxSocket.SolSocket, Interop.Libc.SO_RCVBUFFORCE, receiveBuffer);
            }
            catch (ErrnoException)
            {
                // Without CAP_NET_ADMIN: as much as rmem_max allows.
                LinuxSocket.SetOption(_fd, LinuxSocket.SolSocket, Interop.Libc.SO_RCVBUF, receiveBuffer);
            }
            LinuxSocket.SetTimeout(_fd, LinuxSocket.SoRcvTimeo, receiveTimeout);
        }
        catch
        {
            _fd.Dispose();
            throw;
        }
    }

    /// <summary>What one receive gave.</summary>
    public enum ReceiveResult
    {
        /// <summary>Messages were read (the count is returned).</summary>
        Data,
        /// <summary>Nothing arrived within the timeout (or, not waiting, nothing was there).</summary>
        Empty,
        /// <summary>The kernel dropped events since the last receive.</summary>
        Overrun,
    }

    /// <summary>Receives one datagram into <paramref name="buffer"/>; waits up to the receive timeout unless <paramref name="wait"/> is false.</summary>
    public unsafe ReceiveResult Receive(Span<byte> buffer, bool wait, out int length)
    {
        length = 0;
        fixed (byte* b = buffer)
        {
            while (true)
            {
                var n = Interop.Libc.recv(_fd, b, (nuint)buffer.Length, wait ? 0 : Interop.Libc.MSG_DONTWAIT);
                if (n >= 0)
                {
                    length = (int)n;
                    return ReceiveResult.Data;
                }
                var errno = Marshal.GetLastPInvokeError();
                switch (errno)
                {
                    case (int)Errno.EINTR:
                        continue;
                    case (int)Errno.EAGAIN:
                        return ReceiveResult.Empty;
                    case (int)Errno.ENOBUFS:
                        return ReceiveResult.Overrun;
                    default:
                        throw new ErrnoException("recv (conntrack events)", errno);
                }
            }
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _fd.Dispose();
}
