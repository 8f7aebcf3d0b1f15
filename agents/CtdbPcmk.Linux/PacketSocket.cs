// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>
/// Sends complete Ethernet frames on one interface through an AF_PACKET/SOCK_RAW socket (needs
/// CAP_NET_RAW). The socket is opened with protocol 0 so that it receives nothing.
/// </summary>
public sealed class PacketSocket : IDisposable
{
    private readonly SafeFdHandle _fd;
    private readonly byte[] _address;

    /// <summary>Opens a sender for the interface with index <paramref name="ifindex"/>.</summary>
    public PacketSocket(int ifindex, ushort etherType)
    {
        _fd = LinuxSocket.Open(LinuxSocket.AfPacket, LinuxSocket.SockRaw, 0);
        // The destination is inside the frame, so sll_halen stays 0.
        var address = new Interop.Libc.SockAddrLl
        {
            sll_family = Interop.Libc.AF_PACKET,
            sll_protocol = HostLayout.NetworkOrder(etherType),
            sll_ifindex = ifindex,
        };
        _address = HostLayout.AsBytes(in address).ToArray();
    }

    /// <summary>The socket (for a forked sender).</summary>
    internal SafeFdHandle Handle => _fd;

    /// <summary>The destination sockaddr_ll.</summary>
    internal ReadOnlySpan<byte> Address => _address;

    /// <summary>Sends one frame.</summary>
    public void Send(ReadOnlySpan<byte> frame)
    {
        var sent = LinuxSocket.SendTo(_fd, frame, _address);
        if (sent != frame.Length)
        {
            throw new IOException($"packet socket sent {sent} of {frame.Length} bytes");
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _fd.Dispose();
}
