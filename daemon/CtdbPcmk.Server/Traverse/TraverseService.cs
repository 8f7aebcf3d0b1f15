// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Messaging;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Traverse;

/// <summary>
/// TRAVERSE_START(_EXT) from a client: answered 0 at once, then every record streams to the
/// client's srvid as one rec_data message each (the client's reqid in it), ending with an
/// empty rec_data. A volatile database is traversed on every active node (each sends the
/// records it is dmaster of); a persistent or replicated one on one node only.
/// </summary>
internal sealed partial class TraverseService(ClusterState cluster, DatabaseRegistry databases, NodeLinks links,
    MessageRouter messages, TunableSettings tunables, EventLoop loop, Serilog.ILogger log)
{
    private readonly Dictionary<uint, ClusterTraverse> _traverses = new();
    private byte[] _traverseForward = new byte[4096];

    /// <summary>A client has gone: the traverses it started stop streaming.</summary>
    public void OnClientGone(ClientConnection client)
    {
        foreach (var traverse in _traverses.Values)
        {
            if (ReferenceEquals(traverse.Client, client))
            {
                traverse.Request.Cancel();
            }
        }
    }

    public ControlReply Start(ClientConnection? client, ReadOnlySpan<byte> data, bool extended)
    {
        if (client is null)
        {
            return ControlReply.Fail;
        }
        uint dbId, reqId;
        ulong srvid;
        bool withEmpty;
        if (extended)
        {
            var t = TraverseStartExt.Read(data);
            (dbId, reqId, srvid, withEmpty) = (t.DbId, t.ReqId, t.Srvid, t.WithEmptyRecords);
        }
        else
        {
            var t = Protocol.TraverseStart.Read(data);
            (dbId, reqId, srvid, withEmpty) = (t.DbId, t.ReqId, t.Srvid, false);
        }
        if (!databases.TryGet(dbId, out var db))
        {
            return ControlReply.Failed($"Unknown db 0x{dbId:x8}");
        }
        var request = new LocalTraverse(dbId, reqId, srvid, withEmpty);
        StartClusterTraverse(client, db, request);
        return ControlReply.Ok;
    }

    private void StartClusterTraverse(ClientConnection client, CtdbDatabase db, LocalTraverse request)
    {
        uint pnn = cluster.Pnn;
        uint[] nodes;
        if (db.IsVolatile)
        {
            nodes = cluster.BroadcastTargets(WireFormat.BroadcastActive).ToArray();
        }
        else
        {
            // Every node holds all of it: this one if it is in the vnn map, else the map's first.
            var map = cluster.VnnMap.Map;
            nodes = [map.Contains(pnn) || map.Count == 0 ? pnn : map[0]];
        }
        uint handle = links.NextReqId();
        var traverse = new ClusterTraverse(client, request, handle, nodes.Length);
        _traverses[handle] = traverse;
        traverse.Timeout = loop.AddTimer(TimeSpan.FromSeconds(tunables.Get("TraverseTimeout")), () =>
        {
            log.Warning("Traverse of db 0x{Db:x8} timed out with {Left} node(s) unfinished", request.DbId, traverse.EndsLeft);
            EndClusterTraverse(traverse);
        });

        // TRAVERSE_ALL_EXT only when empty records are wanted, as ctdbd.
        Span<byte> data = stackalloc byte[TraverseAllExt.Size];
        int size = request.WithEmptyRecords
            ? new TraverseAllExt(db.Id, handle, pnn, request.ReqId, request.Srvid, true).Write(data)
            : new TraverseAll(db.Id, handle, pnn, request.ReqId, request.Srvid).Write(data);
        var opcode = request.WithEmptyRecords ? ControlOpcode.TraverseAllExt : ControlOpcode.TraverseAll;
        foreach (uint node in nodes)
        {
            if (node == pnn)
            {
                // After the client has its TRAVERSE_START reply.
                bool withEmpty = request.WithEmptyRecords;
                loop.Post(() => ForNode(db, handle, pnn, withEmpty));
                continue;
            }
            links.SendControl(node, opcode, 0, data[..size], _ =>
            {
                // Only a failed send calls back: that node will send nothing.
                OnTraverseEnd(handle);
            }, flags: ReqControl.FlagNoReply);
        }
    }

    /// <summary>TRAVERSE_DATA: one record (or a node's end marker) for a traverse this node runs for a client.</summary>
    public ControlReply Data(ReadOnlySpan<byte> data)
    {
        var rec = RecData.Read(data);
        if (!_traverses.TryGetValue(rec.ReqId, out var traverse))
        {
            return ControlReply.Failed("traverse has ended");
        }
        if (rec.IsEndMarker)
        {
            OnTraverseEnd(rec.ReqId);
            return ControlReply.Ok;
        }
        if (traverse.Request.Cancelled || traverse.Client.IsClosed)
        {
            EndClusterTraverse(traverse);
            return ControlReply.Ok;
        }
        int size = RecData.GetEncodedSize(rec.Key.Length, rec.Data.Length);
        if (_traverseForward.Length < size)
        {
            _traverseForward = new byte[Math.Max(size, _traverseForward.Length * 2)];
        }
        RecData.Write(_traverseForward, traverse.Request.ReqId, rec.Key, rec.Data);
        messages.DeliverLocal(traverse.Request.Srvid, _traverseForward.AsSpan(0, size));
        return ControlReply.Ok;
    }

    private void OnTraverseEnd(uint handle)
    {
        if (_traverses.TryGetValue(handle, out var traverse) && --traverse.EndsLeft <= 0)
        {
            EndClusterTraverse(traverse);
        }
    }

    private void EndClusterTraverse(ClusterTraverse traverse)
    {
        if (!_traverses.Remove(traverse.Handle))
        {
            return;
        }
        traverse.Timeout?.Cancel();
        if (!traverse.Request.Cancelled && !traverse.Client.IsClosed)
        {
            Span<byte> end = stackalloc byte[RecData.HeadSize];
            RecData.WriteEndMarker(end, traverse.Request.ReqId);
            messages.DeliverLocal(traverse.Request.Srvid, end);
        }
    }
}
