// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>
/// Lists and destroys TCP sockets of the current network namespace through NETLINK_SOCK_DIAG
/// (no `ss` subprocess). Both address families are dumped, so IPv4 connections accepted by a
/// dual-stack IPv6 socket are seen too. Destroying needs CAP_NET_ADMIN and a kernel with
/// CONFIG_INET_DIAG_DESTROY; the kernel then aborts the socket and sends a RST to the peer.
/// </summary>
public static class TcpSocketTable
{
    private const ushort NlmsgError = 2;
    private const ushort NlmsgDone = 3;
    private const ushort SockDiagByFamily = 20;
    private const ushort SockDestroy = 21;
    private const ushort NlmFRequest = 0x1;
    private const ushort NlmFAck = 0x4;
    private const ushort NlmFDump = 0x300;
    private const byte IpprotoTcp = 6;
    private const int TcpEstablished = 1;
    private const int NlmsghdrLength = 16;
    private const int RequestLength = NlmsghdrLength + 56; // struct inet_diag_req_v2
    private const int DiagMsgLength = 72;                  // struct inet_diag_msg
    private const int Enoent = 2;
    private const int NetlinkSockDiag = 4;
    private static int s_sequence;

    /// <summary>All ESTABLISHED TCP sockets, IPv4 and IPv6.</summary>
    public static List<TcpSocketEntry> Established()
    {
        var result = new List<TcpSocketEntry>();
        using var fd = LinuxSocket.Open(LinuxSocket.AfNetlink, LinuxSocket.SockRaw, NetlinkSockDiag);
        Dump(fd, LinuxSocket.AfInet, result);
        Dump(fd, LinuxSocket.AfInet6, result);
        return result;
    }

    /// <summary>Aborts one socket; false when it no longer exists.</summary>
    public static bool Destroy(TcpSocketEntry entry)
    {
        using var fd = LinuxSocket.Open(LinuxSocket.AfNetlink, LinuxSocket.SockRaw, NetlinkSockDiag);
        Span<byte> request = stackalloc byte[RequestLength];
        var seq = WriteRequest(request, SockDestroy, NlmFRequest | NlmFAck, entry.Family, uint.MaxValue);
        var id = request[(NlmsghdrLength + 8)..];
        WriteSocketId(id, entry);
        LinuxSocket.SendTo(fd, request, default);

        Span<byte> reply = stackalloc byte[512];
        while (true)
        {
            var n = LinuxSocket.Receive(fd, reply);
            for (var off = 0; off + NlmsghdrLength <= n;)
            {
                var len = (int)MemoryMarshal.Read<uint>(reply[off..]);
                var type = MemoryMarshal.Read<ushort>(reply[(off + 4)..]);
                if (MemoryMarshal.Read<uint>(reply[(off + 8)..]) == seq && type == NlmsgError)
                {
                    var error = -MemoryMarshal.Read<int>(reply[(off + NlmsghdrLength)..]);
                    if (error == 0)
                    {
                        return true;
                    }

                    if (error == Enoent)
                    {
                        return false;
                    }

                    throw new ErrnoException($"SOCK_DESTROY {entry.Local} {entry.Remote}", error);
                }

                off += Math.Max(NlmsghdrLength, (len + 3) & ~3);
            }
        }
    }

    private static void Dump(SafeFdHandle fd, int family, List<TcpSocketEntry> result)
    {
        Span<byte> request = stackalloc byte[RequestLength];
        var seq = WriteRequest(request, SockDiagByFamily, NlmFRequest | NlmFDump, family, 1u << TcpEstablished);
        LinuxSocket.SendTo(fd, request, default);

        var buffer = new byte[32768];
        while (true)
        {
            var n = LinuxSocket.Receive(fd, buffer);
            for (var off = 0; off + NlmsghdrLength <= n;)
            {
                var message = buffer.AsSpan(off, n - off);
                var len = (int)MemoryMarshal.Read<uint>(message);
                var type = MemoryMarshal.Read<ushort>(message[4..]);
                if (len < NlmsghdrLength || len > message.Length)
                {
                    throw new InvalidDataException($"sock_diag: malformed netlink message (length {len}, {message.Length} bytes left)");
                }

                if (MemoryMarshal.Read<uint>(message[8..]) == seq)
                {
                    if (type == NlmsgDone)
                    {
                        return;
                    }

                    if (type == NlmsgError)
                    {
                        throw new ErrnoException("sock_diag dump", -MemoryMarshal.Read<int>(message[NlmsghdrLength..]));
                    }

                    if (type == SockDiagByFamily && len >= NlmsghdrLength + DiagMsgLength)
                    {
                        result.Add(ParseDiagMessage(message[NlmsghdrLength..len]));
                    }
                }

                off += (len + 3) & ~3;
            }
        }
    }

    /// <summary>Reads struct inet_diag_msg: family, state, timer, retrans, then struct inet_diag_sockid.</summary>
    private static TcpSocketEntry ParseDiagMessage(ReadOnlySpan<byte> msg)
    {
        int family = msg[0];
        var id = msg[4..];
        var addressLength = family == LinuxSocket.AfInet ? 4 : 16;
        var local = Normalize(new IPAddress(id.Slice(4, addressLength)));
        var remote = Normalize(new IPAddress(id.Slice(20, addressLength)));
        return new TcpSocketEntry(
            new IPEndPoint(local, BinaryPrimitives.ReadUInt16BigEndian(id)),
            new IPEndPoint(remote, BinaryPrimitives.ReadUInt16BigEndian(id[2..])),
            family,
            MemoryMarshal.Read<uint>(id[36..]),
            MemoryMarshal.Read<ulong>(id[40..]));
    }

    private static void WriteSocketId(Span<byte> id, TcpSocketEntry entry)
    {
        BinaryPrimitives.WriteUInt16BigEndian(id, (ushort)entry.Local.Port);
        BinaryPrimitives.WriteUInt16BigEndian(id[2..], (ushort)entry.Remote.Port);
        Denormalize(entry.Local.Address, entry.Family).TryWriteBytes(id[4..20], out _);
        Denormalize(entry.Remote.Address, entry.Family).TryWriteBytes(id[20..36], out _);
        MemoryMarshal.Write(id[36..], entry.InterfaceIndex);
        MemoryMarshal.Write(id[40..], entry.Cookie);
    }

    /// <summary>Writes nlmsghdr + inet_diag_req_v2 (socket id left zero); returns the sequence number.</summary>
    private static uint WriteRequest(Span<byte> request, ushort type, ushort flags, int family, uint states)
    {
        request.Clear();
        var seq = (uint)Interlocked.Increment(ref s_sequence);
        MemoryMarshal.Write(request, (uint)request.Length);
        MemoryMarshal.Write(request[4..], type);
        MemoryMarshal.Write(request[6..], flags);
        MemoryMarshal.Write(request[8..], seq);
        var body = request[NlmsghdrLength..];
        body[0] = (byte)family;
        body[1] = IpprotoTcp;
        MemoryMarshal.Write(body[4..], states);
        return seq;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Denormalize(IPAddress address, int family) =>
        family == LinuxSocket.AfInet6 && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address.MapToIPv6()
            : address;
}
