// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.PublicAddresses;

// The connections to each public address ("tickles"): registered by local clients (smbd) on the
// node that holds the address, replicated to every other node.
internal sealed partial class PublicAddressTable
{
    /// <summary>
    /// How soon a changed list goes to the other nodes (ctdbd waits TickleUpdateInterval, 20 s;
    /// here the promise is at most a second). Changes within the delay go out together.
    /// </summary>
    public static readonly TimeSpan FlushDelay = TimeSpan.FromMilliseconds(200);

    /// <summary>Connections each local client registered, removed again when the client goes.</summary>
    private readonly Dictionary<uint, List<CtdbConnection>> _clientConnections = new();
    private LoopTimer? _flushTimer;

    /// <summary>
    /// TCP_CLIENT from local client <paramref name="clientId"/>: a connection to a public address
    /// held here (or by nobody known) joins its list and every other node is told at once. A
    /// connection to an address another node holds fails (smbd then drops it); one to an address
    /// that is not public is ignored.
    /// </summary>
    public ControlReply TcpClient(uint clientId, ReadOnlySpan<byte> data)
    {
        var connection = CanonicalConnection(CtdbConnection.Read(data));
        var server = connection.Destination.Address;
        if (!_addresses.TryGetValue(server, out var entry))
        {
            if (!IPAddress.IsLoopback(server))
            {
                Log.Debug("TCP_CLIENT {Client} -> {Server}: not a public address, ignored", connection.Source, connection.Destination);
            }
            return ControlReply.Ok;
        }
        if (entry.Holder != Self && entry.Holder != WireFormat.UnknownPnn)
        {
            return ControlReply.Failed($"public address {server} is held by node {entry.Holder}, not this node");
        }
        if (!_clientConnections.TryGetValue(clientId, out var mine))
        {
            mine = new List<CtdbConnection>();
            _clientConnections.Add(clientId, mine);
        }
        if (!mine.Contains(connection))
        {
            mine.Add(connection);
        }
        if (entry.Add(connection))
        {
            var encoded = Encode(connection);
            foreach (uint pnn in _host.ConnectedPeers())
            {
                _host.SendControl(pnn, ControlOpcode.TcpAdd, encoded);
            }
            ScheduleFlush();
        }
        return ControlReply.Ok;
    }

    /// <summary>TCP_ADD / TCP_ADD_DELAYED_UPDATE: another node (or the ctdb tool) adds a connection.</summary>
    public ControlReply TcpAdd(ReadOnlySpan<byte> data)
    {
        var connection = CanonicalConnection(CtdbConnection.Read(data));
        var entry = GetOrAdd(connection.Destination.Address);
        if (entry.Add(connection) && entry.Holder == Self)
        {
            ScheduleFlush();
        }
        return ControlReply.Ok;
    }

    /// <summary>TCP_REMOVE: a connection leaves its address's list.</summary>
    public ControlReply TcpRemove(ReadOnlySpan<byte> data)
    {
        var connection = CanonicalConnection(CtdbConnection.Read(data));
        if (_addresses.TryGetValue(connection.Destination.Address, out var entry) && entry.Remove(connection) && entry.Holder == Self)
        {
            ScheduleFlush();
        }
        return ControlReply.Ok;
    }

    /// <summary>
    /// PCMK_TCP_UPDATE. From a local client (the connection tracker): changes to addresses held
    /// here, or by nobody known, are applied and sent on to every connected node in one control
    /// each, at once (no full-list flush: the batch is the update); changes to addresses another
    /// node holds are skipped, to addresses that are not public ignored. From a node: applied.
    /// </summary>
    public ControlReply TcpUpdate(ReadOnlySpan<byte> data, bool fromLocalClient)
    {
        var changes = TcpChanges.Read(data);
        var applied = fromLocalClient ? new List<TcpChange>(changes.Length) : null;
        uint skipped = 0;
        foreach (var change in changes)
        {
            var connection = CanonicalConnection(change.Connection);
            var address = connection.Destination.Address;
            PublicAddress? entry;
            if (applied is null)
            {
                entry = GetOrAdd(address);
            }
            else if (!_addresses.TryGetValue(address, out entry) || (entry.Holder != Self && entry.Holder != WireFormat.UnknownPnn))
            {
                skipped++;
                continue;
            }
            bool changed = change.Added ? entry.Add(connection) : entry.Remove(connection);
            if (changed && applied is not null)
            {
                applied.Add(new TcpChange(connection, change.Added));
            }
        }
        if (applied is { Count: > 0 })
        {
            var encoded = new byte[TcpChanges.EncodedSize(applied.Count)];
            TcpChanges.Write(encoded, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(applied));
            foreach (uint pnn in _host.ConnectedPeers())
            {
                _host.SendControl(pnn, ControlOpcode.PcmkTcpUpdate, encoded);
            }
        }
        var reply = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(reply, (uint)(changes.Length - (int)skipped));
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(4), skipped);
        return ControlReply.WithData(reply);
    }

    /// <summary>SET_TCP_TICKLE_LIST: the holder's whole list replaces ours, unless this node holds the address.</summary>
    public ControlReply SetTcpTickleList(ReadOnlySpan<byte> data)
    {
        var list = TickleList.Read(data);
        var entry = GetOrAdd(Canonical(list.Address.Address));
        if (entry.Holder == Self)
        {
            return ControlReply.Ok;
        }
        entry.Connections.Clear();
        foreach (var c in list.Connections)
        {
            entry.Connections.Add(CanonicalConnection(c));
        }
        entry.Changed = false;
        return ControlReply.Ok;
    }

    /// <summary>GET_TCP_TICKLE_LIST: the connections to an address, all of them or those to the port given; status 1 when not public.</summary>
    public ControlReply GetTcpTickleList(ReadOnlySpan<byte> data)
    {
        var requested = SockAddr.Read(data);
        if (!_addresses.TryGetValue(Canonical(requested.Address), out var entry))
        {
            return ControlReply.Failed($"{requested.Address} is not a public address", 1);
        }
        var matching = entry.ToTickleList(requested.Port);
        var list = new TickleList(requested, matching.Connections);
        return ControlReply.WithData(Encode(list));
    }

    /// <summary>
    /// Local client <paramref name="clientId"/> went away: its connections leave the lists of
    /// addresses held here (or by nobody known), and the other nodes are told. Connections to an
    /// address already moved to another node stay: that node still needs them.
    /// </summary>
    public void OnClientGone(uint clientId)
    {
        if (!_clientConnections.Remove(clientId, out var mine))
        {
            return;
        }
        foreach (var connection in mine)
        {
            if (!_addresses.TryGetValue(connection.Destination.Address, out var entry)
                || (entry.Holder != Self && entry.Holder != WireFormat.UnknownPnn)
                || !entry.Remove(connection))
            {
                continue;
            }
            var encoded = Encode(connection);
            foreach (uint pnn in _host.ConnectedPeers())
            {
                _host.SendControl(pnn, ControlOpcode.TcpRemove, encoded);
            }
            ScheduleFlush();
        }
    }

    private void ScheduleFlush() => _flushTimer ??= _host.AddTimer(FlushDelay, Flush);

    /// <summary>Sends each changed list of an address held here to every connected node.</summary>
    private void Flush()
    {
        _flushTimer = null;
        var peers = _host.ConnectedPeers();
        foreach (var entry in _addresses.Values)
        {
            if (!entry.Changed || entry.Holder != Self)
            {
                continue;
            }
            entry.Changed = false;
            var encoded = Encode(entry.ToTickleList());
            foreach (uint pnn in peers)
            {
                _host.SendControl(pnn, ControlOpcode.SetTcpTickleList, encoded);
            }
        }
    }

    private static CtdbConnection CanonicalConnection(CtdbConnection c) =>
        new(new IPEndPoint(c.Source.Address.IsIPv4MappedToIPv6 ? c.Source.Address.MapToIPv4() : c.Source.Address, c.Source.Port), new IPEndPoint(Canonical(c.Destination.Address), c.Destination.Port));

    private static byte[] Encode(CtdbConnection connection)
    {
        var data = new byte[CtdbConnection.Size];
        connection.Write(data);
        return data;
    }
}
