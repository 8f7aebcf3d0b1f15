// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>
/// Decodes control data by opcode with the library codecs and re-encodes it, so vector tests
/// can compare bytes. Returns null for opcodes whose data is not a structured encoding.
/// </summary>
internal static class ControlDataCodecs
{
    private delegate int Writer(Span<byte> buffer);

    public static byte[]? ReencodeRequest(ControlOpcode opcode, ReadOnlySpan<byte> data)
    {
        switch (opcode)
        {
            case ControlOpcode.ProcessExists:
            case ControlOpcode.GetDbPath:
            case ControlOpcode.GetDbName:
            case ControlOpcode.EnableSeqnum:
            case ControlOpcode.UpdateSeqnum:
            case ControlOpcode.DbGetHealth:
            case ControlOpcode.DbOpenFlags:
            case ControlOpcode.SetDbReadonly:
            case ControlOpcode.SetDbSticky:
            case ControlOpcode.DbFreeze:
            case ControlOpcode.DbThaw:
            case ControlOpcode.DbPushConfirm:
            case ControlOpcode.DbTransactionCancel:
            case ControlOpcode.SetRecMode:
                return U32(data);
            case ControlOpcode.GetDbSeqnum:
                // u32 db_id + u32 pad.
                return data.Length == 8 ? U64(data) : throw new InvalidDataException("GET_DB_SEQNUM data must be 8 bytes");
            case ControlOpcode.DbAttach:
            case ControlOpcode.DbAttachPersistent:
            case ControlOpcode.DbAttachReplicated:
                return CString.Encode(CString.DecodeTerminated(data));
            case ControlOpcode.GetTunable:
                var name = StringN.Read(data);
                Assert.Equal(data.Length, StringN.GetReadSize(data));
                return Encode(StringN.GetEncodedSize(name), b => StringN.Write(b, name));
            case ControlOpcode.SetTunable:
                var tv = TunableValue.Read(data);
                return Encode(tv.EncodedSize, tv.Write);
            case ControlOpcode.TraverseStart:
            case ControlOpcode.TraverseKill:
                return Encode(TraverseStart.Size, TraverseStart.Read(data).Write);
            case ControlOpcode.TraverseStartExt:
                return Encode(TraverseStartExt.Size, TraverseStartExt.Read(data).Write);
            case ControlOpcode.TraverseAll:
                return Encode(TraverseAll.Size, TraverseAll.Read(data).Write);
            case ControlOpcode.TraverseAllExt:
                return Encode(TraverseAllExt.Size, TraverseAllExt.Read(data).Write);
            case ControlOpcode.TraverseData:
                var rec = RecData.Read(data);
                var recBytes = new byte[rec.EncodedSize];
                rec.Write(recBytes);
                return recBytes;
            case ControlOpcode.TcpClient:
                return Encode(CtdbConnection.Size, CtdbConnection.Read(data).Write);
            case ControlOpcode.ModifyFlags:
                return Encode(NodeFlagChange.Size, NodeFlagChange.Read(data).Write);
            case ControlOpcode.SetVnnMap:
                var vnn = VnnMap.Read(data);
                return Encode(vnn.EncodedSize, vnn.Write);
            case ControlOpcode.Trans3Commit:
            case ControlOpcode.UpdateRecord:
            case ControlOpcode.TryDeleteRecords:
            case ControlOpcode.VacuumFetch:
                var recBuffer = RecBuffer.Read(data);
                var bufBytes = new byte[recBuffer.EncodedSize];
                recBuffer.Write(bufBytes);
                return bufBytes;
            case ControlOpcode.GetPublicIpInfo:
            case ControlOpcode.GetTcpTickleList:
                var addr = SockAddr.Read(data);
                return Encode(SockAddr.Size, b => SockAddr.Write(b, addr));
            case ControlOpcode.ReleaseIp:
            case ControlOpcode.TakeoverIp:
                return Encode(PublicIp.Size, PublicIp.Read(data).Write);
            case ControlOpcode.ScheduleForDeletion:
                var kd = KeyData.Read(data);
                return Encode(kd.EncodedSize, kd.Write);
            case ControlOpcode.DbTransactionStart:
            case ControlOpcode.DbTransactionCommit:
            case ControlOpcode.WipeDatabase:
                return Encode(TransDb.Size, TransDb.Read(data).Write);
            case ControlOpcode.DbPull:
            case ControlOpcode.DbPushStart:
                return Encode(PullDbExt.Size, PullDbExt.Read(data).Write);
            case ControlOpcode.CheckPidSrvid:
                return Encode(PidSrvid.Size, PidSrvid.Read(data).Write);
            case ControlOpcode.SetBanState:
                return Encode(BanState.Size, BanState.Read(data).Write);
            case ControlOpcode.AddPublicIp:
            case ControlOpcode.DelPublicIp:
                var ai = AddrInfo.Read(data);
                return Encode(ai.EncodedSize, ai.Write);
            case ControlOpcode.SetTcpTickleList:
                var tl = TickleList.Read(data);
                return Encode(tl.EncodedSize, tl.Write);
            default:
                return null;
        }
    }

    public static byte[]? ReencodeReply(ControlOpcode opcode, ReadOnlySpan<byte> data)
    {
        switch (opcode)
        {
            case ControlOpcode.Statistics:
                return Encode(CtdbStatistics.Size, CtdbStatistics.Read(data).Write);
            case ControlOpcode.GetDbPath:
            case ControlOpcode.GetDbName:
            case ControlOpcode.DbGetHealth:
            case ControlOpcode.GetReclockFile:
                return CString.Encode(CString.DecodeTerminated(data));
            case ControlOpcode.GetVnnMap:
                var vnn = VnnMap.Read(data);
                return Encode(vnn.EncodedSize, vnn.Write);
            case ControlOpcode.GetDbMap:
                var dbmap = DbMap.Read(data);
                return Encode(dbmap.EncodedSize, dbmap.Write);
            case ControlOpcode.GetNodeMap:
                var nodemap = NodeMap.Read(data);
                return Encode(nodemap.EncodedSize, nodemap.Write);
            case ControlOpcode.DbAttach:
            case ControlOpcode.DbAttachPersistent:
            case ControlOpcode.DbAttachReplicated:
            case ControlOpcode.GetTunable:
            case ControlOpcode.GetCapabilities:
            case ControlOpcode.GetRunState:
            case ControlOpcode.DbOpenFlags:
            case ControlOpcode.DbPull:
            case ControlOpcode.DbPushConfirm:
                return U32(data);
            case ControlOpcode.GetDbSeqnum:
                return U64(data);
            case ControlOpcode.ListTunables:
                var vars = VarList.Read(data);
                return Encode(vars.EncodedSize, vars.Write);
            case ControlOpcode.GetAllTunables:
                return Encode(TunableList.Size, TunableList.Read(data).Write);
            case ControlOpcode.Uptime:
                return Encode(Uptime.Size, Uptime.Read(data).Write);
            case ControlOpcode.GetPublicIps:
                var ips = PublicIpList.Read(data);
                return Encode(ips.EncodedSize, ips.Write);
            case ControlOpcode.GetPublicIpInfo:
                var info = PublicIpInfo.Read(data);
                return Encode(info.EncodedSize, info.Write);
            case ControlOpcode.GetIfaces:
                var ifaces = IfaceList.Read(data);
                return Encode(ifaces.EncodedSize, ifaces.Write);
            case ControlOpcode.GetBanState:
                return Encode(BanState.Size, BanState.Read(data).Write);
            case ControlOpcode.GetTcpTickleList:
                var tl = TickleList.Read(data);
                return Encode(tl.EncodedSize, tl.Write);
            case ControlOpcode.TryDeleteRecords:
                var recBuffer = RecBuffer.Read(data);
                var bytes = new byte[recBuffer.EncodedSize];
                recBuffer.Write(bytes);
                return bytes;
            default:
                return null;
        }
    }

    private static byte[] U32(ReadOnlySpan<byte> data)
    {
        if (data.Length != 4)
        {
            throw new InvalidDataException($"expected 4 bytes of data, got {data.Length}");
        }
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, BinaryPrimitives.ReadUInt32LittleEndian(data));
        return bytes;
    }

    private static byte[] U64(ReadOnlySpan<byte> data)
    {
        if (data.Length != 8)
        {
            throw new InvalidDataException($"expected 8 bytes of data, got {data.Length}");
        }
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, BinaryPrimitives.ReadUInt64LittleEndian(data));
        return bytes;
    }

    private static byte[] Encode(int size, Writer write)
    {
        var bytes = new byte[size + 16];
        int n = write(bytes);
        Assert.Equal(size, n);
        return bytes[..n];
    }
}
