// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Linux.Netlink;

namespace CtdbPcmk.Linux.Tests;

/// <summary>The struct-based readers against the running kernel: what they parse is what the kernel sent.</summary>
public sealed class KernelReaderTests
{
    [Fact]
    public void SockDiagListsALoopbackConnectionWithItsPorts()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new TcpClient(AddressFamily.InterNetwork);
        client.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var server = listener.AcceptTcpClient();
        var clientEnd = (IPEndPoint)client.Client.LocalEndPoint!;
        var serverEnd = (IPEndPoint)client.Client.RemoteEndPoint!;

        var entries = TcpSocketTable.Established();

        var entry = Assert.Single(entries, e => e.Local.Equals(clientEnd) && e.Remote.Equals(serverEnd));
        Assert.Equal((int)AddressFamily.InterNetwork, entry.Family);
        Assert.NotEqual(0ul, entry.Cookie);
        Assert.Contains(entries, e => e.Local.Equals(serverEnd) && e.Remote.Equals(clientEnd));
    }

    [Fact]
    public void RtNetlinkReadsTheLoopbackLinkAndItsAddress()
    {
        using var rtnl = new RtNetlink();

        var lo = Assert.Single(rtnl.GetLinks(), l => l.Name == "lo");
        Assert.True(lo.IsLoopback);
        Assert.Equal((ushort)772, lo.HardwareType); // ARPHRD_LOOPBACK
        var address = Assert.Single(rtnl.GetAddresses(AddressFamily.InterNetwork), a => a.Address.Equals(IPAddress.Loopback));
        Assert.Equal(lo.Index, address.Index);
        Assert.Equal(8, address.PrefixLength);
        Assert.Equal("lo", address.Label);
    }

    [Fact]
    public void RtNetlinkReportsAKernelRefusalAsItsErrno()
    {
        using var rtnl = new RtNetlink();
        var missing = new AddressInfo(Index: int.MaxValue, IPAddress.Parse("192.0.2.1"), 24, 0, null, null);

        var e = Assert.Throws<ErrnoException>(() => rtnl.DeleteAddress(missing));

        Assert.Equal(Errno.ENODEV, e.Errno);
    }

    [Fact]
    public void SockAddrWritesAndReadsBothFamilies()
    {
        Span<byte> buffer = stackalloc byte[SockAddr.InetMaxSize];

        Assert.Equal(16, SockAddr.WriteInet(IPAddress.Parse("192.0.2.7"), 4379, buffer));
        Assert.Equal(new byte[] { 2, 0, 0x11, 0x1B, 192, 0, 2, 7, 0, 0, 0, 0, 0, 0, 0, 0 }, buffer[..16].ToArray());
        Assert.Equal(IPAddress.Parse("192.0.2.7"), SockAddr.ReadInet(buffer[..16]));

        var v6 = IPAddress.Parse("fe80::1%3");
        Assert.Equal(28, SockAddr.WriteInet(v6, 445, buffer));
        Assert.Equal(new byte[] { 10, 0, 0x01, 0xBD, 0, 0, 0, 0 }, buffer[..8].ToArray());
        Assert.Equal(v6.GetAddressBytes(), buffer[8..24].ToArray());
        Assert.Equal(new byte[] { 3, 0, 0, 0 }, buffer[24..28].ToArray());
        Assert.Equal(IPAddress.Parse("fe80::1"), SockAddr.ReadInet(buffer));

        SockAddr.WriteInet(IPAddress.Parse("::ffff:10.1.2.3"), 1, buffer);
        Assert.Equal(IPAddress.Parse("10.1.2.3"), SockAddr.ReadInet(buffer));
    }

    [Fact]
    public void UnixAddressIsFamilyPathAndNul()
    {
        Assert.Equal(new byte[] { 1, 0, (byte)'/', (byte)'s', 0 }, LinuxSocket.UnixAddress("/s"));
        Assert.Throws<ArgumentException>(() => LinuxSocket.UnixAddress(new string('x', 108)));
        Assert.Equal(2 + 107 + 1, LinuxSocket.UnixAddress(new string('x', 107)).Length);
    }
}
