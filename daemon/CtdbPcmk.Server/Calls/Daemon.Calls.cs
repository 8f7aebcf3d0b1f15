// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Calls;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Databases;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    private byte[] _record = new byte[1024];

    private void OnClientCall(ClientConnection client, PacketHeader header, ReqCall call)
    {
        if (!_databases.TryGet(call.DbId, out var db))
        {
            // ctdbd drops a call for an unknown database without a reply.
            _log.Warning("Client {Id} called unknown db 0x{Db:x8}; dropped", client.Id, call.DbId);
            return;
        }
        if (!db.IsVolatile)
        {
            SendCallReply(client, header.ReqId, -1, default);
            return;
        }
        _statistics.TotalCalls++;
        long started = _loop.Now;
        if (!TryRunCall(client, header.ReqId, db, call.Key, call.CallId, started))
        {
            var pending = new PendingCall(client, header.ReqId, db.Id, call.Key.ToArray(), call.CallId, call.Flags)
            {
                Started = started,
            };
            _statistics.PendingCalls++;
            RetryLater(pending);
        }
    }

    /// <summary>
    /// Runs a call on a record this node masters. Never blocks the loop on a chain lock smbd
    /// holds: returns false so the caller retries shortly.
    /// </summary>
    private bool TryRunCall(ClientConnection client, uint reqId, CtdbDatabase db, ReadOnlySpan<byte> key, uint callId, long started)
    {
        if (_cluster.RecoveryMode == RecoveryMode.Active)
        {
            return false;
        }
        if (!db.File.TryChainLock(key))
        {
            return false;
        }
        int status = 0;
        ReadOnlySpan<byte> reply = default;
        try
        {
            int len = db.File.FetchInto(key, ref _record);
            LtdbHeader header;
            ReadOnlySpan<byte> value;
            if (len >= LtdbHeader.Size)
            {
                header = LtdbHeader.Read(_record);
                value = _record.AsSpan(LtdbHeader.Size, len - LtdbHeader.Size);
            }
            else
            {
                // A record that does not exist yet belongs to its lmaster; when that is this
                // node the empty record is stored at once, before the call runs (as ctdbd).
                header = new LtdbHeader(0, _cluster.Lmaster(key), LtdbHeader.FlagAutomatic);
                value = default;
                len = 0;
                if (header.Dmaster == _cluster.Pnn)
                {
                    header = StoreRecord(db, key, header, default);
                }
            }
            if (header.Dmaster != _cluster.Pnn && _cluster.VnnMap.Map.Count == 1)
            {
                // This node is the whole cluster: whatever the record last said, it is ours.
                header.Dmaster = _cluster.Pnn;
            }
            switch (callId)
            {
                case ReqCall.NullFunc:
                    break;
                case ReqCall.FetchFunc:
                    reply = value;
                    break;
                case ReqCall.FetchWithHeaderFunc:
                    header.Write(_record); // the reply carries the header as the call saw it
                    reply = _record.AsSpan(0, Math.Max(len, LtdbHeader.Size));
                    break;
                default:
                    status = -1;
                    break;
            }
            if (status == 0)
            {
                StoreRecord(db, key, header, value);
            }
            SendCallReply(client, reqId, status, reply);
        }
        finally
        {
            db.File.ChainUnlock(key);
        }
        double seconds = (double)(_loop.Now - started) / _loop.Time.TimestampFrequency;
        _statistics.CallLatency = _statistics.CallLatency.Add(seconds);
        return true;
    }

    private void RetryLater(PendingCall pending)
    {
        // 1 ms, doubling to 16 ms: smbd holds chain locks briefly.
        int delayMs = Math.Min(16, 1 << Math.Min(pending.Attempts, 4));
        pending.Attempts++;
        _loop.AddTimer(TimeSpan.FromMilliseconds(delayMs), () => RetryCall(pending));
    }

    private void RetryCall(PendingCall pending)
    {
        if (pending.Client.IsClosed)
        {
            _statistics.PendingCalls--;
            return;
        }
        if (!_databases.TryGet(pending.DbId, out var db))
        {
            _statistics.PendingCalls--;
            return;
        }
        if (TryRunCall(pending.Client, pending.ReqId, db, pending.Key, pending.CallId, pending.Started))
        {
            _statistics.PendingCalls--;
            return;
        }
        RetryLater(pending);
    }

    private void SendCallReply(ClientConnection client, uint reqId, int status, ReadOnlySpan<byte> data)
    {
        var rc = new ReplyCall { Status = status, Data = data };
        var buffer = Scratch(Packet.WireSize(rc.ContentLength));
        int size = rc.Write(buffer, new PacketHeader(0, _cluster.Generation, Operation.ReplyCall, 0, _cluster.Pnn, reqId));
        client.Connection.Send(buffer[..size]);
        _statistics.ClientPacketsSent++;
    }
}
