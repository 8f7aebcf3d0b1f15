// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Client;

// Typed controls. Each throws CtdbControlException when the daemon reports failure and
// CtdbConnectionException when the reply does not have the size the control defines.
public sealed partial class CtdbClient
{
    /// <summary>GET_PNN: the connected daemon's node number. Later requests carry it as source node.</summary>
    public uint GetPnn()
    {
        int status = ControlRaw(ControlOpcode.GetPnn, WireFormat.CurrentNode, default);
        if (status < 0)
        {
            throw Failed(ControlOpcode.GetPnn, status);
        }
        _srcNode = (uint)status;
        return (uint)status;
    }

    /// <summary>PING: returns the number of clients connected to the daemon.</summary>
    public int Ping(uint destNode = WireFormat.CurrentNode)
    {
        int status = ControlRaw(ControlOpcode.Ping, destNode, default);
        return status >= 0 ? status : throw Failed(ControlOpcode.Ping, status);
    }

    /// <summary>GET_PID: the daemon's process id.</summary>
    public int GetPid(uint destNode = WireFormat.CurrentNode)
    {
        int status = ControlRaw(ControlOpcode.GetPid, destNode, default);
        return status > 0 ? status : throw Failed(ControlOpcode.GetPid, status);
    }

    /// <summary>Attaches (creating if needed) database <paramref name="name"/>; returns its db_id.</summary>
    public uint AttachDatabase(string name, DatabaseKind kind = DatabaseKind.Volatile, TimeSpan? timeout = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var op = kind switch
        {
            DatabaseKind.Persistent => ControlOpcode.DbAttachPersistent,
            DatabaseKind.Replicated => ControlOpcode.DbAttachReplicated,
            _ => ControlOpcode.DbAttach,
        };
        // The name travels with its terminating NUL.
        byte[] data = new byte[Encoding.UTF8.GetByteCount(name) + 1];
        Encoding.UTF8.GetBytes(name, data);
        Expect(op, ControlRaw(op, WireFormat.CurrentNode, data, timeout: timeout), 4);
        return BinaryPrimitives.ReadUInt32LittleEndian(LastReplyData);
    }

    /// <summary>GETDBPATH: the TDB file the daemon keeps for <paramref name="dbId"/>.</summary>
    public string GetDbPath(uint dbId)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, dbId);
        Expect(ControlOpcode.GetDbPath, ControlRaw(ControlOpcode.GetDbPath, WireFormat.CurrentNode, data), -1);
        var path = LastReplyData;
        int nul = path.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul >= 0 ? path[..nul] : path);
    }

    /// <summary>GET_DB_SEQNUM: the stored __db_sequence_number__ of a persistent database.</summary>
    public ulong GetDbSeqnum(uint dbId)
    {
        // In: u32 db_id + u32 pad (8 bytes), out: u64.
        Span<byte> data = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(data, dbId);
        BinaryPrimitives.WriteUInt32LittleEndian(data[4..], 0);
        Expect(ControlOpcode.GetDbSeqnum, ControlRaw(ControlOpcode.GetDbSeqnum, WireFormat.CurrentNode, data), 8);
        return BinaryPrimitives.ReadUInt64LittleEndian(LastReplyData);
    }

    /// <summary>REGISTER_SRVID: messages to <paramref name="srvid"/> on this node are delivered to this connection.</summary>
    public void RegisterSrvid(ulong srvid) =>
        Expect(ControlOpcode.RegisterSrvid, ControlRaw(ControlOpcode.RegisterSrvid, WireFormat.CurrentNode, default, srvid), -1);

    /// <summary>DEREGISTER_SRVID: undoes <see cref="RegisterSrvid"/>.</summary>
    public void DeregisterSrvid(ulong srvid) =>
        Expect(ControlOpcode.DeregisterSrvid, ControlRaw(ControlOpcode.DeregisterSrvid, WireFormat.CurrentNode, default, srvid), -1);

    /// <summary>
    /// TRANS3_COMMIT: writes <paramref name="records"/> to persistent database <paramref name="dbId"/>
    /// on every node. The caller includes the bumped sequence number record
    /// (<see cref="TransactionRecord.SequenceNumber"/>). Status 1 = timeout, 2 = ended by recovery.
    /// </summary>
    public void Trans3Commit(uint dbId, ReadOnlySpan<TransactionRecord> records, TimeSpan? timeout = null) =>
        Expect(ControlOpcode.Trans3Commit, Trans3CommitRaw(dbId, records, timeout), -1);

    /// <summary>GET_NODEMAP: every node of the cluster with its flags and address.</summary>
    public IReadOnlyList<NodeAndFlags> GetNodeMap(uint destNode = WireFormat.CurrentNode)
    {
        Expect(ControlOpcode.GetNodeMap, ControlRaw(ControlOpcode.GetNodeMap, destNode, default), -1);
        return Decode(ControlOpcode.GetNodeMap, static d => NodeMap.Read(d)).Nodes;
    }

    /// <summary>GET_RUNSTATE.</summary>
    public RunState GetRunState(uint destNode = WireFormat.CurrentNode)
    {
        Expect(ControlOpcode.GetRunState, ControlRaw(ControlOpcode.GetRunState, destNode, default), 4);
        return (RunState)BinaryPrimitives.ReadUInt32LittleEndian(LastReplyData);
    }

    /// <summary>GET_RECMODE (answered in the status field).</summary>
    public RecoveryMode GetRecMode(uint destNode = WireFormat.CurrentNode)
    {
        int status = ControlRaw(ControlOpcode.GetRecMode, destNode, default);
        return status is 0 or 1 ? (RecoveryMode)status : throw Failed(ControlOpcode.GetRecMode, status);
    }

    /// <summary>UPTIME: the daemon's current time, start time and last recovery times.</summary>
    public DaemonUptime Uptime(uint destNode = WireFormat.CurrentNode)
    {
        Expect(ControlOpcode.Uptime, ControlRaw(ControlOpcode.Uptime, destNode, default), Protocol.Uptime.Size);
        var u = Decode(ControlOpcode.Uptime, static d => Protocol.Uptime.Read(d));
        return new DaemonUptime(
            u.CurrentTime.ToDateTimeOffset(),
            u.StartTime.ToDateTimeOffset(),
            u.LastRecoveryStarted.ToDateTimeOffset(),
            u.LastRecoveryFinished.ToDateTimeOffset());
    }

    /// <summary>Takes (<paramref name="leader"/> true) or releases the local node's leader role.</summary>
    public void SetLeaderRole(bool leader, TimeSpan? timeout = null)
    {
        Span<byte> data = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(data, leader ? 1u : 0u);
        Expect(ControlOpcode.PcmkSetLeaderRole, ControlRaw(ControlOpcode.PcmkSetLeaderRole, WireFormat.CurrentNode, data, timeout: timeout), -1);
    }

    /// <summary>The local node's role and cluster view.</summary>
    public LeaderState GetLeaderState(uint destNode = WireFormat.CurrentNode)
    {
        Expect(ControlOpcode.PcmkGetLeaderState, ControlRaw(ControlOpcode.PcmkGetLeaderState, destNode, default), LeaderState.Size);
        return Decode(ControlOpcode.PcmkGetLeaderState, static d => LeaderState.Read(d));
    }

    /// <summary>Asks the local leader to re-check membership now (no effect on other nodes).</summary>
    public void Recheck() =>
        Expect(ControlOpcode.PcmkRecheck, ControlRaw(ControlOpcode.PcmkRecheck, WireFormat.CurrentNode, default), -1);

    /// <summary>Decodes the last reply's data; undecodable data closes the connection.</summary>
    private T Decode<T>(ControlOpcode op, DataDecoder<T> decode)
    {
        try
        {
            return decode(LastReplyData);
        }
        catch (ProtocolException e)
        {
            throw Break($"malformed {op} reply: {e.Message}", e);
        }
    }

    private delegate T DataDecoder<T>(ReadOnlySpan<byte> data);

    /// <summary>Throws unless the status is 0 and (when <paramref name="size"/> ≥ 0) the reply data has that size.</summary>
    private void Expect(ControlOpcode op, int status, int size)
    {
        if (status != 0)
        {
            throw Failed(op, status);
        }
        if (size >= 0 && _replyDataLength != size)
        {
            throw Break($"{op} reply carries {_replyDataLength} bytes of data, expected {size}");
        }
    }

    private CtdbControlException Failed(ControlOpcode op, int status) =>
        new(op, status, Encoding.UTF8.GetString(LastErrorMessage));
}
