// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client;

// Public addresses (what ocf:ctdb:vip and portblock tell the daemon, and read back).
public sealed partial class CtdbClient
{
    /// <summary>ADD_PUBLIC_IP: the node may host <paramref name="address"/>/<paramref name="prefixLength"/> on <paramref name="iface"/>.</summary>
    public void AddPublicIp(IPAddress address, int prefixLength, string iface, uint destNode = WireFormat.CurrentNode)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrEmpty(iface);
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        var info = new AddrInfo(new IPEndPoint(address, 0), (uint)prefixLength, iface);
        var data = new byte[info.EncodedSize];
        info.Write(data);
        Expect(ControlOpcode.AddPublicIp, ControlRaw(ControlOpcode.AddPublicIp, destNode, data), -1);
    }

    /// <summary>DEL_PUBLIC_IP: the node forgets <paramref name="address"/> (fails while it holds it).</summary>
    public void DelPublicIp(IPAddress address, int prefixLength, string iface, uint destNode = WireFormat.CurrentNode)
    {
        ArgumentNullException.ThrowIfNull(address);
        var info = new AddrInfo(new IPEndPoint(address, 0), (uint)prefixLength, iface);
        var data = new byte[info.EncodedSize];
        info.Write(data);
        Expect(ControlOpcode.DelPublicIp, ControlRaw(ControlOpcode.DelPublicIp, destNode, data), -1);
    }

    /// <summary>TAKEOVER_IP: node <paramref name="pnn"/> now hosts <paramref name="address"/>.</summary>
    public void TakeoverIp(uint pnn, IPAddress address, uint destNode = WireFormat.CurrentNode) =>
        SendPublicIp(ControlOpcode.TakeoverIp, pnn, address, destNode);

    /// <summary>RELEASE_IP: the node gives up <paramref name="address"/>; <paramref name="pnn"/> is the new holder or <see cref="WireFormat.UnknownPnn"/>.</summary>
    public void ReleaseIp(uint pnn, IPAddress address, uint destNode = WireFormat.CurrentNode) =>
        SendPublicIp(ControlOpcode.ReleaseIp, pnn, address, destNode);

    /// <summary>GET_PUBLIC_IPS: the addresses the node knows with their holders (<paramref name="onlyAvailable"/>: those it can host).</summary>
    public IReadOnlyList<PublicIp> GetPublicIps(bool onlyAvailable = false, uint destNode = WireFormat.CurrentNode)
    {
        uint flags = onlyAvailable ? PublicIpFlagsOnlyAvailable : 0;
        Expect(ControlOpcode.GetPublicIps, ControlRaw(ControlOpcode.GetPublicIps, destNode, default, flags: flags), -1);
        return Decode(ControlOpcode.GetPublicIps, static d => PublicIpList.Read(d)).Ips;
    }

    /// <summary>GET_PUBLIC_IP_INFO: holder and interfaces of one address (fails for an address the node does not know).</summary>
    public PublicIpInfo GetPublicIpInfo(IPAddress address, uint destNode = WireFormat.CurrentNode)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> data = stackalloc byte[SockAddr.Size];
        SockAddr.Write(data, new IPEndPoint(address, 0));
        Expect(ControlOpcode.GetPublicIpInfo, ControlRaw(ControlOpcode.GetPublicIpInfo, destNode, data), -1);
        return Decode(ControlOpcode.GetPublicIpInfo, static d => PublicIpInfo.Read(d));
    }

    /// <summary>GET_IFACES: the interfaces the node's public addresses use.</summary>
    public IReadOnlyList<Iface> GetIfaces(uint destNode = WireFormat.CurrentNode)
    {
        Expect(ControlOpcode.GetIfaces, ControlRaw(ControlOpcode.GetIfaces, destNode, default), -1);
        return Decode(ControlOpcode.GetIfaces, static d => IfaceList.Read(d)).Ifaces;
    }

    /// <summary>
    /// GET_TCP_TICKLE_LIST: the TCP connections to <paramref name="address"/> (source = client,
    /// destination = the address); with <paramref name="port"/> ≠ 0 only those to that server port.
    /// </summary>
    public IReadOnlyList<CtdbConnection> GetTcpTickleList(IPAddress address, int port = 0, uint destNode = WireFormat.CurrentNode)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> data = stackalloc byte[SockAddr.Size];
        SockAddr.Write(data, new IPEndPoint(address, port));
        Expect(ControlOpcode.GetTcpTickleList, ControlRaw(ControlOpcode.GetTcpTickleList, destNode, data), -1);
        return Decode(ControlOpcode.GetTcpTickleList, static d => TickleList.Read(d)).Connections;
    }

    /// <summary>TCP_CLIENT: registers a connection this client serves (smbd's call); the daemon drops it when this client disconnects.</summary>
    public void TcpClient(IPEndPoint client, IPEndPoint server)
    {
        Span<byte> data = stackalloc byte[CtdbConnection.Size];
        new CtdbConnection(client, server).Write(data);
        Expect(ControlOpcode.TcpClient, ControlRaw(ControlOpcode.TcpClient, WireFormat.CurrentNode, data), -1);
    }

    /// <summary>
    /// PCMK_TCP_UPDATE: connections joining or leaving the lists of the local daemon's public
    /// addresses (at most <see cref="TcpChanges.MaxPerControl"/>); the daemon sends what it applied
    /// on to every node. Returns how many were applied and how many skipped (address held by another node).
    /// </summary>
    public (int Applied, int Skipped) TcpUpdate(ReadOnlySpan<TcpChange> changes, TimeSpan? timeout = null)
    {
        if (changes.Length > TcpChanges.MaxPerControl)
        {
            throw new ArgumentOutOfRangeException(nameof(changes), $"at most {TcpChanges.MaxPerControl} changes per control");
        }
        var data = System.Buffers.ArrayPool<byte>.Shared.Rent(TcpChanges.EncodedSize(changes.Length));
        try
        {
            int length = TcpChanges.Write(data, changes);
            Expect(ControlOpcode.PcmkTcpUpdate, ControlRaw(ControlOpcode.PcmkTcpUpdate, WireFormat.CurrentNode, data.AsSpan(0, length), timeout: timeout), 8);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(data);
        }
        var reply = LastReplyData;
        return ((int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(reply), (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(reply[4..]));
    }

    /// <summary>CTDB_PUBLIC_IP_FLAGS_ONLY_AVAILABLE.</summary>
    private const uint PublicIpFlagsOnlyAvailable = 0x00010000;

    private void SendPublicIp(ControlOpcode op, uint pnn, IPAddress address, uint destNode)
    {
        ArgumentNullException.ThrowIfNull(address);
        Span<byte> data = stackalloc byte[PublicIp.Size];
        new PublicIp(pnn, new IPEndPoint(address, 0)).Write(data);
        Expect(op, ControlRaw(op, destNode, data), -1);
    }
}
