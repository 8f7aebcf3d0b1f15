// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Calls;

/// <summary>Call-family packets this node sends to others, built in the scratch buffer.</summary>
internal sealed partial class CallEngine
{
    /// <summary>Asks <paramref name="destNode"/> for the record of a waiting client call.</summary>
    private void SendCall(PendingCall call, uint destNode)
    {
        call.NodeReqId = links.NextReqId();
        call.Generation = cluster.Generation;
        _calls.Add(call);
        // A read-only fetch on a database with delegations asks the dmaster for a copy with its
        // header (FETCH_WITH_HEADER, WANT_READONLY kept); elsewhere the record migrates.
        call.ReadonlyFetch = (call.Flags & ReqCall.FlagWantReadonly) != 0
            && databases.TryGet(call.DbId, out var db) && ReadonlyDelegations.Enabled(db);
        var rc = new ReqCall
        {
            Flags = call.ReadonlyFetch ? call.Flags : call.Flags & ~ReqCall.FlagWantReadonly,
            DbId = call.DbId,
            CallId = call.ReadonlyFetch ? ReqCall.FetchWithHeaderFunc : call.CallId,
            HopCount = 0,
            Key = call.Key,
        };
        var buffer = _scratch.Get(Packet.WireSize(rc.ContentLength));
        int size = rc.Write(buffer, new PacketHeader(0, call.Generation, Operation.ReqCall, destNode, cluster.Pnn, call.NodeReqId));
        if (!links.Send(destNode, buffer[..size]))
        {
            // It stays pending: the recovery that follows a lost node resends it.
            log.Debug("Call for db 0x{Db:x8} waits: no link to node {Pnn}", call.DbId, destNode);
        }
    }

    /// <summary>
    /// Redirects beyond which a call is taken to be going round in circles: the lmaster names a
    /// dmaster that does not hold the record (its migration was lost to a recovery), and only a
    /// recovery, which rebuilds every copy, can settle that.
    /// </summary>
    private const uint MaxHops = 100;

    /// <summary>
    /// Passes a node REQ_CALL on unchanged but for its destination and hop count. A call that
    /// reached <see cref="MaxHops"/> is dropped and a recovery asked for instead; the node that
    /// sent it resends it once the recovery is done.
    /// </summary>
    private void RedirectCall(ReadOnlySpan<byte> packet, uint destNode, uint hopCount)
    {
        if (hopCount >= MaxHops)
        {
            log.Error("Call {ReqId} from node {Src} for db 0x{Db:x8} made {Hops} hops: the nodes disagree about who holds the record; recovery",
                BinaryPrimitives.ReadUInt32LittleEndian(packet[28..]), BinaryPrimitives.ReadUInt32LittleEndian(packet[24..]),
                BinaryPrimitives.ReadUInt32LittleEndian(packet[36..]), hopCount);
            cluster.SetRecoveryMode(RecoveryMode.Active);
            return;
        }
        var buffer = _scratch.Get(packet.Length);
        packet.CopyTo(buffer);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[20..], destNode);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[44..], hopCount);
        if (hopCount % 100 > 95)
        {
            log.Warning("Call {ReqId} from node {Src} has made {Hops} hops", BinaryPrimitives.ReadUInt32LittleEndian(buffer[28..]),
                BinaryPrimitives.ReadUInt32LittleEndian(buffer[24..]), hopCount);
        }
        links.Send(destNode, buffer);
    }

    /// <summary>REPLY_CALL to another node's call: the read-only copy, its header first.</summary>
    private void SendNodeReplyCall(uint destNode, uint reqId, LtdbHeader header, ReadOnlySpan<byte> value)
    {
        int need = LtdbHeader.Size + value.Length;
        var data = need <= 4096 ? stackalloc byte[need] : new byte[need];
        header.Write(data);
        value.CopyTo(data[LtdbHeader.Size..]);
        var rc = new ReplyCall { Status = 0, Data = data };
        var buffer = _scratch.Get(Packet.WireSize(rc.ContentLength));
        int size = rc.Write(buffer, new PacketHeader(0, cluster.Generation, Operation.ReplyCall, destNode, cluster.Pnn, reqId));
        links.Send(destNode, buffer[..size]);
    }

    private void SendReplyDmaster(uint destNode, uint reqId, uint dbId, ulong rsn, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, uint flags)
    {
        var r = new ReplyDmaster { DbId = dbId, Rsn = rsn, Key = key, Data = value, RecordFlags = flags };
        var buffer = _scratch.Get(Packet.WireSize(r.ContentLength));
        int size = r.Write(buffer, new PacketHeader(0, cluster.Generation, Operation.ReplyDmaster, destNode, cluster.Pnn, reqId));
        links.Send(destNode, buffer[..size]);
    }

    private void SendReqDmaster(uint lmaster, uint reqId, uint dbId, ulong rsn, uint newDmaster, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, uint flags)
    {
        var r = new ReqDmaster { DbId = dbId, Rsn = rsn, Dmaster = newDmaster, Key = key, Data = value, RecordFlags = flags };
        var buffer = _scratch.Get(Packet.WireSize(r.ContentLength));
        int size = r.Write(buffer, new PacketHeader(0, cluster.Generation, Operation.ReqDmaster, lmaster, cluster.Pnn, reqId));
        links.Send(lmaster, buffer[..size]);
    }

    /// <summary>REPLY_ERROR to the sender of a request (its reqid), message NUL-terminated as ctdbd's.</summary>
    private void SendReplyError(PacketHeader request, string message)
    {
        int len = Encoding.UTF8.GetByteCount(message) + 1;
        Span<byte> text = stackalloc byte[len];
        Encoding.UTF8.GetBytes(message, text);
        text[^1] = 0;
        var r = new ReplyError { Status = -1, Message = text };
        var buffer = _scratch.Get(Packet.WireSize(r.ContentLength));
        int size = r.Write(buffer, new PacketHeader(0, cluster.Generation, Operation.ReplyError, request.SrcNode, cluster.Pnn, request.ReqId));
        log.Warning("{Op} from node {Src}: {Message}", request.Operation, request.SrcNode, message);
        links.Send(request.SrcNode, buffer[..size]);
    }
}
