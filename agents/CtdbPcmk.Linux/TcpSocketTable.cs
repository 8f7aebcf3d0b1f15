// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using CtdbPcmk.Linux.Netlink;
using static CtdbPcmk.Linux.Interop.Netlink;

namespace CtdbPcmk.Linux;

/// <summary>
/// Lists and destroys TCP sockets of the current network namespace through NETLINK_SOCK_DIAG
/// (no `ss` subprocess). Both address families are dumped, so IPv4 connections accepted by a
/// dual-stack IPv6 socket are seen too. Destroying needs CAP_NET_ADMIN and a kernel with
/// CONFIG_INET_DIAG_DESTROY; the kernel then aborts the socket and sends a RST to the peer.
/// </summary>
public static unsafe class TcpSocketTable
{
    private const ushort NlmsgError = Rtnl.NlmsgError;
    private const ushort NlmsgDone = Rtnl.NlmsgDone;
    private const ushort SockDiagByFamily = SOCK_DIAG_BY_FAMILY;
    private const ushort SockDestroy = SOCK_DESTROY;
    private const ushort NlmFRequest = Rtnl.FRequest;
    private const ushort NlmFAck = Rtnl.FAck;
    private const ushort NlmFDump = Rtnl.FDump;
    private const byte IpprotoTcp = Interop.Libc.IPPROTO_TCP;
    private const int TcpEstablished = TCP_ESTABLISHED;
    private const int Enoent = (int)Errno.ENOENT;
    private const int NetlinkSockDiag = NETLINK_SOCK_DIAG;
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
        var body = new InetDiagReqV2 { sdiag_family = (byte)entry.Family, sdiag_protocol = IpprotoTcp, idiag_states = uint.MaxValue };
        WriteSocketId(ref body.id, entry);
        var seq = WriteRequest(request, SockDestroy, NlmFRequest | NlmFAck, in body);
        LinuxSocket.SendTo(fd, request, default);

        var headerLength = NetlinkMessage.HeaderLength;
        Span<byte> reply = stackalloc byte[512];
        while (true)
        {
            var n = LinuxSocket.Receive(fd, reply);
            for (var off = 0; off + headerLength <= n;)
            {
                var header = NetlinkMessage.ReadHeader(reply[off..]);
                var len = (int)header.nlmsg_len;
                if (header.nlmsg_seq == seq && header.nlmsg_type == NlmsgError)
                {
                    var error = NetlinkMessage.Error(reply[(off + headerLength)..]);
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

                off += Math.Max(headerLength, NetlinkMessage.Align(len));
            }
        }
    }

    private static void Dump(SafeFdHandle fd, int family, List<TcpSocketEntry> result)
    {
        Span<byte> request = stackalloc byte[RequestLength];
        var body = new InetDiagReqV2 { sdiag_family = (byte)family, sdiag_protocol = IpprotoTcp, idiag_states = 1u << TcpEstablished };
        var seq = WriteRequest(request, SockDiagByFamily, NlmFRequest | NlmFDump, in body);
        LinuxSocket.SendTo(fd, request, default);

        var headerLength = NetlinkMessage.HeaderLength;
        var buffer = new byte[32768];
        while (true)
        {
            var n = LinuxSocket.Receive(fd, buffer);
            for (var off = 0; off + headerLength <= n;)
            {
                var message = buffer.AsSpan(off, n - off);
                var header = NetlinkMessage.ReadHeader(message);
                var len = (int)header.nlmsg_len;
                var type = header.nlmsg_type;
                if (len < headerLength || len > message.Length)
                {
                    throw new InvalidDataException($"sock_diag: malformed netlink message (length {len}, {message.Length} bytes left)");
                }

                if (header.nlmsg_seq == seq)
                {
                    if (type == NlmsgDone)
                    {
                        return;
                    }

                    if (type == NlmsgError)
                    {
                        throw new ErrnoException("sock_diag dump", NetlinkMessage.Error(message[headerLength..]));
                    }

                    if (type == SockDiagByFamily && NetlinkMessage.ReadBody<InetDiagMsg>(message[headerLength..len]) is { } diag)
                    {
                        result.Add(ToEntry(diag));
                    }
                }

                off += NetlinkMessage.Align(len);
            }
        }
    }

    /// <summary>sizeof(struct nlmsghdr) + sizeof(struct inet_diag_req_v2).</summary>
    private static int RequestLength => NetlinkMessage.HeaderLength + Unsafe.SizeOf<InetDiagReqV2>();

    /// <summary>The entry of one struct inet_diag_msg.</summary>
    private static TcpSocketEntry ToEntry(InetDiagMsg msg)
    {
        int family = msg.idiag_family;
        var addressLength = family == LinuxSocket.AfInet ? 4 : 16;
        var local = Normalize(new IPAddress(new ReadOnlySpan<byte>(msg.id.idiag_src, addressLength)));
        var remote = Normalize(new IPAddress(new ReadOnlySpan<byte>(msg.id.idiag_dst, addressLength)));
        return new TcpSocketEntry(
            new IPEndPoint(local, HostLayout.NetworkOrder(msg.id.idiag_sport)),
            new IPEndPoint(remote, HostLayout.NetworkOrder(msg.id.idiag_dport)),
            family,
            msg.id.idiag_if,
            msg.id.idiag_cookie);
    }

    private static void WriteSocketId(ref InetDiagSockId id, TcpSocketEntry entry)
    {
        id.idiag_sport = HostLayout.NetworkOrder((ushort)entry.Local.Port);
        id.idiag_dport = HostLayout.NetworkOrder((ushort)entry.Remote.Port);
        fixed (byte* src = id.idiag_src)
        fixed (byte* dst = id.idiag_dst)
        {
            Denormalize(entry.Local.Address, entry.Family).TryWriteBytes(new Span<byte>(src, 16), out _);
            Denormalize(entry.Remote.Address, entry.Family).TryWriteBytes(new Span<byte>(dst, 16), out _);
        }
        id.idiag_if = entry.InterfaceIndex;
        id.idiag_cookie = entry.Cookie;
    }

    /// <summary>Writes nlmsghdr and the inet_diag_req_v2 <paramref name="body"/>; returns the sequence number.</summary>
    private static uint WriteRequest(Span<byte> request, ushort type, ushort flags, in InetDiagReqV2 body)
    {
        var seq = (uint)Interlocked.Increment(ref s_sequence);
        var header = new NlMsgHdr { nlmsg_len = (uint)request.Length, nlmsg_type = type, nlmsg_flags = flags, nlmsg_seq = seq };
        MemoryMarshal.Write(request, in header);
        MemoryMarshal.Write(request[NetlinkMessage.HeaderLength..], in body);
        return seq;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static IPAddress Denormalize(IPAddress address, int family) =>
        family == LinuxSocket.AfInet6 && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork
            ? address.MapToIPv6()
            : address;
}
