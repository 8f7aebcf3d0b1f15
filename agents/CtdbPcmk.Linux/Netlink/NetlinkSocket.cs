// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux.Netlink;

/// <summary>
/// A NETLINK_ROUTE socket for request/acknowledge and dump exchanges with the kernel. Requests are
/// sent unaddressed, which netlink delivers to the kernel; replies are matched by sequence number.
/// </summary>
public sealed class NetlinkSocket : IDisposable
{
    private readonly SafeFdHandle _fd;
    // Dump replies fill at most this much per read. Left uninitialised: the kernel writes what
    // is read, and clearing 64 KiB is a measurable part of an agent's whole run.
    private readonly byte[] _buffer = GC.AllocateUninitializedArray<byte>(64 * 1024);
    private uint _sequence;

    private NetlinkSocket(SafeFdHandle fd)
    {
        _fd = fd;
        _sequence = (uint)Environment.TickCount;
    }

    /// <summary>Opens an rtnetlink socket.</summary>
    public static NetlinkSocket OpenRoute() =>
        new(LinuxSocket.Open(LinuxSocket.AfNetlink, LinuxSocket.SockRaw, Rtnl.NetlinkRoute));

    /// <summary>The sequence number for the next message.</summary>
    public uint NextSequence() => ++_sequence;

    /// <summary>Sends a request with NLM_F_ACK set and waits for the kernel's answer.</summary>
    /// <exception cref="ErrnoException">The kernel rejected the request.</exception>
    public void Request(NetlinkWriter request, uint sequence, string operation)
    {
        LinuxSocket.SendTo(_fd, request.Message, default);
        var error = 0;
        var done = false;
        while (!done)
        {
            var n = LinuxSocket.Receive(_fd, _buffer);
            Walk(_buffer.AsSpan(0, n), sequence, (type, body) =>
            {
                if (type == Rtnl.NlmsgError)
                {
                    error = NetlinkMessage.Error(body);
                    done = true;
                }
            }, ref done);
        }
        if (error != 0)
        {
            throw new ErrnoException(operation, error);
        }
    }

    /// <summary>Sends a dump request and calls <paramref name="visit"/> for every reply message.</summary>
    public void Dump(NetlinkWriter request, uint sequence, string operation, MessageVisitor visit)
    {
        LinuxSocket.SendTo(_fd, request.Message, default);
        var error = 0;
        var done = false;
        while (!done)
        {
            var n = LinuxSocket.Receive(_fd, _buffer);
            Walk(_buffer.AsSpan(0, n), sequence, (type, body) =>
            {
                if (type == Rtnl.NlmsgError)
                {
                    error = NetlinkMessage.Error(body);
                }
                else
                {
                    visit(type, body);
                }
            }, ref done);
            done |= error != 0;
        }
        if (error != 0)
        {
            throw new ErrnoException(operation, error);
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _fd.Dispose();

    private static void Walk(ReadOnlySpan<byte> data, uint sequence, MessageVisitor visit, ref bool done)
    {
        var headerLength = NetlinkMessage.HeaderLength;
        while (data.Length >= headerLength)
        {
            var header = NetlinkMessage.ReadHeader(data);
            var length = (int)header.nlmsg_len;
            var type = header.nlmsg_type;
            var seq = header.nlmsg_seq;
            if (length < headerLength || length > data.Length)
            {
                return;
            }
            if (seq == sequence)
            {
                if (type == Rtnl.NlmsgDone)
                {
                    done = true;
                }
                else
                {
                    visit(type, data[headerLength..length]);
                    if (type == Rtnl.NlmsgError)
                    {
                        done = true;
                    }
                }
            }
            var next = NetlinkWriter.Align(length);
            if (next >= data.Length)
            {
                return;
            }
            data = data[next..];
        }
    }
}
