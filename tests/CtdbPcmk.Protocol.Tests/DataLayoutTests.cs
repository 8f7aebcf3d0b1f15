// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Text;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>Exact layouts of single encodings (§3.1 and the x86_64 struct layouts).</summary>
public class DataLayoutTests
{
    [Fact]
    public void SockAddr_ipv4_family_little_endian_port_big_endian()
    {
        var b = new byte[SockAddr.Size];
        Assert.Equal(28, SockAddr.Write(b, new IPEndPoint(IPAddress.Parse("10.99.99.1"), 4379)));
        Assert.Equal("0200111b0a636301" + new string('0', 40), Hex.Of(b));
    }

    [Fact]
    public void SockAddr_ipv6_with_scope()
    {
        var ep = new IPEndPoint(IPAddress.Parse("fe80::1%7"), 445);
        var b = new byte[SockAddr.Size];
        SockAddr.Write(b, ep);
        Assert.Equal("0a0001bd" + "00000000" + "fe800000000000000000000000000001" + "07000000", Hex.Of(b));
        Assert.Equal(ep, SockAddr.Read(b));
    }

    [Fact]
    public void SockAddr_ignores_uninitialised_ipv4_tail_and_rejects_unknown_family()
    {
        var b = Hex.Parse("0200ad0c7f000001000000000000000010de7691107f0000");
        Assert.Throws<ProtocolException>(() => SockAddr.Read(b)); // 24 bytes: truncated
        b = [.. b, 0, 0, 0, 0];
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 44300), SockAddr.Read(b));
        b[0] = 1;
        Assert.Throws<ProtocolException>(() => SockAddr.Read(b));
    }

    [Fact]
    public void PidSrvid_is_packed_12_bytes()
    {
        var b = new byte[PidSrvid.Size];
        new PidSrvid(0x0cab, 0x1122334455667788).Write(b);
        Assert.Equal("ab0c0000" + "8877665544332211", Hex.Of(b));
    }

    [Fact]
    public void KeyData_layout_matches_smbd_schedule_for_deletion()
    {
        // SCHEDULE_FOR_DELETION data captured from smbd (locking.tdb key, rsn 3).
        var data = Hex.Parse("4dd8197a000000000300000000000000000000000000000000000000000000001800000000fe0000000000003704b200000000000000000000000000");
        var kd = KeyData.Read(data);
        Assert.Equal(0x7a19d84du, kd.DbId);
        Assert.Equal(3ul, kd.Header.Rsn);
        Assert.Equal(24, kd.Key.Length);
        Assert.Equal(data.Length, kd.EncodedSize);
    }

    [Fact]
    public void Iface_name_is_nul_padded_to_18_bytes()
    {
        var b = new byte[Iface.Size];
        new Iface("lo", 1, 1).Write(b);
        Assert.Equal("6c6f" + new string('0', 32) + "0100" + "01000000", Hex.Of(b));
        Assert.Throws<InvalidOperationException>(() => new Iface("abcdefghijklmnopqr", 1, 0).Write(b));
        new Iface("abcdefghijklmnopq", 0, 0).Write(b);
        Assert.Equal("abcdefghijklmnopq", Iface.Read(b).Name);
    }

    [Fact]
    public void CString_strict_and_lenient_decoding()
    {
        Assert.Equal("locking.tdb", CString.DecodeTerminated(Encoding.ASCII.GetBytes("locking.tdb\0")));
        Assert.Throws<ProtocolException>(() => CString.DecodeTerminated("abc"u8));
        Assert.Throws<ProtocolException>(() => CString.DecodeTerminated("a\0b\0"u8));
        Assert.Throws<ProtocolException>(() => CString.DecodeTerminated([]));
        Assert.Equal("abc", CString.Decode("abc"u8));
        Assert.Equal("a", CString.Decode("a\0b\0"u8));
        Assert.Equal("61626300", Hex.Of(CString.Encode("abc")));
    }

    [Fact]
    public void StringN_and_TunableValue_layouts()
    {
        var b = new byte[StringN.GetEncodedSize("RecoverInterval")];
        StringN.Write(b, "RecoverInterval");
        Assert.Equal("10000000" + Hex.Of(Encoding.ASCII.GetBytes("RecoverInterval\0")), Hex.Of(b));
        var tv = new TunableValue(5, "EnableBans");
        b = new byte[tv.EncodedSize];
        tv.Write(b);
        Assert.Equal("05000000" + "0b000000" + Hex.Of(Encoding.ASCII.GetBytes("EnableBans\0")), Hex.Of(b));
    }

    [Fact]
    public void Statistics_fields_land_at_their_struct_offsets()
    {
        var s = new CtdbStatistics { NumClients = 1, KeepalivePacketsRecv = 2, NodeReqTunnel = 3, ClientReqTunnel = 4, TimeoutsTraverse = 5, ReclockCtdbd = new LatencyCounter(6, 0, 0, 0), LocksNumFailed = 7, TotalCalls = 8, MaxHopCount = 9, CallLatency = new LatencyCounter(10, 0, 0, 0), NumRecoveries = 11, StatisticsCurrentTime = new Timeval(12, 0), TotalRoRevokes = 13 };
        s.LocksBuckets[15] = 14;
        s.HopCountBucket[0] = 15;
        var b = new byte[CtdbStatistics.Size];
        Assert.Equal(488, s.Write(b));
        (int Offset, uint Value)[] expected = [(0, 1), (32, 2), (68, 3), (84, 4), (96, 5), (104, 6), (180, 7), (276, 14), (280, 8), (304, 9), (308, 15), (376, 10), (440, 11), (464, 12), (484, 13)];
        foreach (var (offset, value) in expected)
        {
            Assert.True(BitConverter.ToUInt32(b, offset) == value, $"offset {offset}");
        }
    }

    [Fact]
    public void Traverse_structures_layout()
    {
        var b = new byte[TraverseAllExt.Size];
        new TraverseAllExt(1, 2, 3, 4, 0x0506070809, true).Write(b);
        Assert.Equal("01000000020000000300000004000000" + "0908070605000000" + "0100000000000000", Hex.Of(b));
        b = new byte[TraverseStartExt.Size];
        new TraverseStartExt(0xaa, 0, 0xBE000000000071B5, false).Write(b);
        Assert.Equal("aa00000000000000b5710000000000be" + "0000000000000000", Hex.Of(b));
    }

    [Fact]
    public void Uptime_and_timeval()
    {
        var u = new Uptime(new Timeval(1, 2), new Timeval(3, 4), new Timeval(5, 6), new Timeval(7, 8));
        var b = new byte[Uptime.Size];
        u.Write(b);
        Assert.Equal(u, Uptime.Read(b));
        Assert.Equal(7L, BitConverter.ToInt64(b, 48));
        var t = Timeval.FromDateTimeOffset(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(12340));
        Assert.Equal(new Timeval(1700000000, 1234), t);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000).AddTicks(12340), t.ToDateTimeOffset());
    }

    [Fact]
    public void DbStatistics_fixed_part_then_hot_key_bytes()
    {
        var s = new DbStatistics
        {
            LockCalls = 3,
            LockLatency = new LatencyCounter(3, 0.001, 0.25, 0.3),
            VacuumLatency = new LatencyCounter(1, 0.5, 0.5, 0.5),
            RoRevokes = 2,
            HotKeys = [new HotKey(4, "ab"u8.ToArray()), new HotKey(9, "xyz"u8.ToArray())],
        };
        s.LockBuckets[3] = 1;
        s.HopCountBuckets[1] = 7;
        var b = new byte[s.EncodedSize];
        Assert.Equal(464 + 5, s.Write(b));
        Assert.Equal(3u, BitConverter.ToUInt32(b, 0));
        Assert.Equal(3, BitConverter.ToInt32(b, 16));
        Assert.Equal(0.25, BitConverter.ToDouble(b, 32));
        Assert.Equal(1u, BitConverter.ToUInt32(b, 48 + 12));
        Assert.Equal(0.5, BitConverter.ToDouble(b, 120));
        Assert.Equal(2u, BitConverter.ToUInt32(b, 148));
        Assert.Equal(7u, BitConverter.ToUInt32(b, 152 + 4));
        Assert.Equal(10u, BitConverter.ToUInt32(b, 216));
        Assert.Equal(4u, BitConverter.ToUInt32(b, 224));
        Assert.Equal(2ul, BitConverter.ToUInt64(b, 224 + 16));
        Assert.Equal(9u, BitConverter.ToUInt32(b, 248));
        Assert.Equal(3ul, BitConverter.ToUInt64(b, 248 + 16));
        Assert.Equal("abxyz", Encoding.ASCII.GetString(b, 464, 5));
        var back = DbStatistics.Read(b);
        Assert.Equal(10, back.HotKeys.Count);
        Assert.Equal("xyz", Encoding.ASCII.GetString(back.HotKeys[1].Key.Span));
        Assert.Equal(0, back.HotKeys[2].Key.Length);
        Assert.Equal(s.LockLatency, back.LockLatency);
        b[224 + 16] = 200;
        Assert.Throws<ProtocolException>(() => DbStatistics.Read(b));
    }
}
