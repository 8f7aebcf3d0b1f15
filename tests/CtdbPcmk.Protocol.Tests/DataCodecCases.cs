// SPDX-License-Identifier: GPL-3.0-or-later
using static CtdbPcmk.Protocol.Tests.CodecCase;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>The data encodings of §3.1 as codec cases.</summary>
internal static class DataCodecCases
{
    public static IEnumerable<CodecCase> All()
    {
        yield return Fixed("SockAddr", SockAddr.Size,
            r => { var ep = r.EndPoint(); return Encode(SockAddr.Size, b => SockAddr.Write(b, ep)); },
            b => { var ep = SockAddr.Read(b); return Encode(SockAddr.Size, s => SockAddr.Write(s, ep)); });
        yield return Fixed("CtdbConnection", CtdbConnection.Size,
            r => Encode(CtdbConnection.Size, new CtdbConnection(r.EndPoint(), r.EndPoint()).Write),
            b => Encode(CtdbConnection.Size, CtdbConnection.Read(b).Write));
        yield return new CodecCase
        {
            Name = "NodeMap",
            Generate = r => { var m = new NodeMap(r.Many(8, x => new NodeAndFlags(x.U32(), x.U32(), x.EndPoint()))); return Encode(m.EncodedSize, m.Write); },
            Reencode = b => { var m = NodeMap.Read(b); return Encode(m.EncodedSize, m.Write); },
            LengthFields = [0],
        };
        yield return new CodecCase
        {
            Name = "DbMap",
            Generate = r => { var m = new DbMap(r.Many(20, x => new DbMapEntry(x.U32(), (byte)x.Next(256)))); return Encode(m.EncodedSize, m.Write); },
            Reencode = b => { var m = DbMap.Read(b); return Encode(m.EncodedSize, m.Write); },
            LengthFields = [0],
        };
        yield return new CodecCase
        {
            Name = "VnnMap",
            Generate = r => { var m = new VnnMap(r.U32(), r.Many(16, x => x.U32())); return Encode(m.EncodedSize, m.Write); },
            Reencode = b => { var m = VnnMap.Read(b); return Encode(m.EncodedSize, m.Write); },
            LengthFields = [4],
        };
        yield return Fixed("Uptime", Uptime.Size,
            r => Encode(Uptime.Size, new Uptime(r.Timeval(), r.Timeval(), r.Timeval(), r.Timeval()).Write),
            b => Encode(Uptime.Size, Uptime.Read(b).Write));
        yield return Fixed("CtdbStatistics", CtdbStatistics.Size,
            r => Encode(CtdbStatistics.Size, RandomStatistics(r).Write),
            b => Encode(CtdbStatistics.Size, CtdbStatistics.Read(b).Write));
        yield return new CodecCase
        {
            Name = "VarList",
            Generate = r => { var v = new VarList(r.Many(50, x => x.Name(1, 25).Replace(":", "", StringComparison.Ordinal))); return Encode(v.EncodedSize, v.Write); },
            Reencode = b => { var v = VarList.Read(b); return Encode(v.EncodedSize, v.Write); },
            LengthFields = [0],
        };
        yield return new CodecCase
        {
            Name = "StringN",
            Generate = r => { var s = r.Name(0, 40); return Encode(StringN.GetEncodedSize(s), b => StringN.Write(b, s)); },
            Reencode = b => { var s = StringN.Read(b); return Encode(StringN.GetEncodedSize(s), x => StringN.Write(x, s)); },
            LengthFields = [0],
        };
        yield return new CodecCase
        {
            Name = "TunableValue",
            Generate = r => { var t = new TunableValue(r.U32(), r.Name(1, 30)); return Encode(t.EncodedSize, t.Write); },
            Reencode = b => { var t = TunableValue.Read(b); return Encode(t.EncodedSize, t.Write); },
            LengthFields = [4],
        };
        yield return Fixed("TunableList", TunableList.Size,
            r => { var t = new TunableList(); for (int i = 0; i < Tunables.SlotCount; i++) { t[i] = r.U32(); } return Encode(TunableList.Size, t.Write); },
            b => Encode(TunableList.Size, TunableList.Read(b).Write));
        yield return new CodecCase
        {
            Name = "PublicIpList",
            Generate = r => { var l = new PublicIpList(r.Many(6, x => new PublicIp(x.U32(), x.EndPoint()))); return Encode(l.EncodedSize, l.Write); },
            Reencode = b => { var l = PublicIpList.Read(b); return Encode(l.EncodedSize, l.Write); },
            LengthFields = [0],
        };
        yield return new CodecCase
        {
            Name = "IfaceList",
            Generate = r => { var l = new IfaceList(r.Many(5, RandomIface)); return Encode(l.EncodedSize, l.Write); },
            Reencode = b => { var l = IfaceList.Read(b); return Encode(l.EncodedSize, l.Write); },
            DecodeOnly = b => IfaceList.Read(b),
            LengthFields = [0],
        };
        yield return new CodecCase
        {
            Name = "PublicIpInfo",
            Generate = r => { var i = new PublicIpInfo(new PublicIp(r.U32(), r.EndPoint()), r.U32(), r.Many(4, RandomIface)); return Encode(i.EncodedSize, i.Write); },
            Reencode = b => { var i = PublicIpInfo.Read(b); return Encode(i.EncodedSize, i.Write); },
            DecodeOnly = b => PublicIpInfo.Read(b),
            LengthFields = [36],
        };
        yield return new CodecCase
        {
            Name = "RecData",
            Generate = r => { var k = r.Bytes(0, 40); var h = r.Ltdb(); var v = r.Bytes(0, 100); return Encode(RecData.GetEncodedSize(k.Length, LtdbHeader.Size + v.Length), b => RecData.Write(b, r.U32(), k, h, v)); },
            Reencode = b => { var rec = RecData.Read(b); var o = new byte[rec.EncodedSize]; rec.Write(o); return o; },
            LengthFields = [0, 8, 12],
        };
        yield return new CodecCase
        {
            Name = "RecBuffer",
            Generate = RandomRecBuffer,
            Reencode = b => { var rb = RecBuffer.Read(b); var o = new byte[rb.EncodedSize]; rb.Write(o); return o; },
            LengthFields = [4, 8],
            // A buffer with no records may be cut down to its 8-byte head only.
            MinimumValid = b => b.Length,
        };
        yield return Fixed("TraverseStart", TraverseStart.Size,
            r => Encode(TraverseStart.Size, new TraverseStart(r.U32(), r.U32(), r.U64()).Write),
            b => Encode(TraverseStart.Size, TraverseStart.Read(b).Write));
        yield return Fixed("TraverseStartExt", TraverseStartExt.Size,
            r => Encode(TraverseStartExt.Size, new TraverseStartExt(r.U32(), r.U32(), r.U64(), r.Next(2) == 1).Write),
            b => Encode(TraverseStartExt.Size, TraverseStartExt.Read(b).Write));
        yield return Fixed("TraverseAll", TraverseAll.Size,
            r => Encode(TraverseAll.Size, new TraverseAll(r.U32(), r.U32(), r.U32(), r.U32(), r.U64()).Write),
            b => Encode(TraverseAll.Size, TraverseAll.Read(b).Write));
        yield return Fixed("TraverseAllExt", TraverseAllExt.Size,
            r => Encode(TraverseAllExt.Size, new TraverseAllExt(r.U32(), r.U32(), r.U32(), r.U32(), r.U64(), r.Next(2) == 1).Write),
            b => Encode(TraverseAllExt.Size, TraverseAllExt.Read(b).Write));
        yield return new CodecCase
        {
            Name = "KeyData",
            Generate = r => { var k = new KeyData(r.U32(), r.Ltdb(), r.Bytes(0, 64)); return Encode(k.EncodedSize, k.Write); },
            Reencode = b => { var k = KeyData.Read(b); return Encode(k.EncodedSize, k.Write); },
            LengthFields = [32],
        };
        yield return Fixed("PidSrvid", PidSrvid.Size,
            r => Encode(PidSrvid.Size, new PidSrvid(r.Next(int.MinValue, int.MaxValue), r.U64()).Write),
            b => Encode(PidSrvid.Size, PidSrvid.Read(b).Write));
        yield return Fixed("TransDb", TransDb.Size,
            r => Encode(TransDb.Size, new TransDb(r.U32(), r.U32()).Write),
            b => Encode(TransDb.Size, TransDb.Read(b).Write));
        yield return Fixed("PullDbExt", PullDbExt.Size,
            r => Encode(PullDbExt.Size, new PullDbExt(r.U32(), r.U32(), r.U64()).Write),
            b => Encode(PullDbExt.Size, PullDbExt.Read(b).Write));
        yield return Fixed("NodeFlagChange", NodeFlagChange.Size,
            r => Encode(NodeFlagChange.Size, new NodeFlagChange(r.U32(), r.U32(), r.U32()).Write),
            b => Encode(NodeFlagChange.Size, NodeFlagChange.Read(b).Write));
        yield return Fixed("BanState", BanState.Size,
            r => Encode(BanState.Size, new BanState(r.U32(), r.U32()).Write),
            b => Encode(BanState.Size, BanState.Read(b).Write));
        yield return new CodecCase
        {
            Name = "TickleList",
            Generate = r => { var t = new TickleList(r.EndPoint(), r.Many(5, x => new CtdbConnection(x.EndPoint(), x.EndPoint()))); return Encode(t.EncodedSize, t.Write); },
            Reencode = b => { var t = TickleList.Read(b); return Encode(t.EncodedSize, t.Write); },
            LengthFields = [28],
        };
        yield return new CodecCase
        {
            Name = "AddrInfo",
            Generate = r => { var a = new AddrInfo(r.EndPoint(), r.U32(), r.Name(0, 15)); return Encode(a.EncodedSize, a.Write); },
            Reencode = b => { var a = AddrInfo.Read(b); return Encode(a.EncodedSize, a.Write); },
            LengthFields = [32],
        };
    }

    private static CodecCase Fixed(string name, int size, Func<Random, byte[]> generate, Func<byte[], byte[]> reencode)
    {
        Assert.True(size > 0);
        return new CodecCase { Name = name, Generate = generate, Reencode = reencode };
    }

    private static Iface RandomIface(Random r) => new(r.Name(0, 17), (ushort)r.Next(65536), r.U32());

    private static byte[] RandomRecBuffer(Random r)
    {
        var buffer = new byte[8 + (r.Next(0, 6) * 300)];
        var writer = new RecBufferWriter(buffer, r.U32());
        while (true)
        {
            bool added = r.Next(4) == 0
                ? writer.TryAdd(r.U32(), r.Bytes(0, 30), r.Bytes(0, 60))
                : writer.TryAdd(r.U32(), r.Bytes(0, 30), r.Ltdb(), r.Bytes(0, 80));
            if (!added)
            {
                return writer.Written.ToArray();
            }
        }
    }

    private static CtdbStatistics RandomStatistics(Random r)
    {
        var s = new CtdbStatistics
        {
            NumClients = r.U32(), Frozen = r.U32(), Recovering = r.U32(), ClientPacketsSent = r.U32(),
            ClientPacketsRecv = r.U32(), NodePacketsSent = r.U32(), NodePacketsRecv = r.U32(),
            KeepalivePacketsSent = r.U32(), KeepalivePacketsRecv = r.U32(), NodeReqCall = r.U32(),
            NodeReplyCall = r.U32(), NodeReqDmaster = r.U32(), NodeReplyDmaster = r.U32(), NodeReplyError = r.U32(),
            NodeReqMessage = r.U32(), NodeReqControl = r.U32(), NodeReplyControl = r.U32(), NodeReqTunnel = r.U32(),
            ClientReqCall = r.U32(), ClientReqMessage = r.U32(), ClientReqControl = r.U32(), ClientReqTunnel = r.U32(),
            TimeoutsCall = r.U32(), TimeoutsControl = r.U32(), TimeoutsTraverse = r.U32(),
            ReclockCtdbd = r.Latency(), ReclockRecd = r.Latency(), LocksNumCalls = r.U32(), LocksNumCurrent = r.U32(),
            LocksNumPending = r.U32(), LocksNumFailed = r.U32(), LocksLatency = r.Latency(), TotalCalls = r.U32(),
            PendingCalls = r.U32(), ChildwriteCalls = r.U32(), PendingChildwriteCalls = r.U32(), MemoryUsed = r.U32(),
            LastCounter = r.U32(), MaxHopCount = r.U32(), CallLatency = r.Latency(), ChildwriteLatency = r.Latency(),
            NumRecoveries = r.U32(), StatisticsStartTime = r.Timeval(), StatisticsCurrentTime = r.Timeval(),
            TotalRoDelegations = r.U32(), TotalRoRevokes = r.U32(),
        };
        for (int i = 0; i < CtdbStatistics.BucketCount; i++)
        {
            s.LocksBuckets[i] = r.U32();
            s.HopCountBucket[i] = r.U32();
        }
        return s;
    }
}
