// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// Every decoder of CtdbPcmk.Protocol as a target of its own, plus three that reach all of
/// them from one input: <c>packet</c> (a header, then the decoder its operation names),
/// <c>control-data</c> (the first byte picks the control data decoder, the rest is its data)
/// and <c>framing</c> (a byte stream cut into packets by the <see cref="FrameReader"/>).
/// </summary>
public static class ProtocolTargets
{
    /// <summary>The decoders of packets, by name.</summary>
    public static readonly (string Name, Decoder Decode)[] Packets =
    [
        ("header", d => PacketHeader.Read(d)),
        ("req-call", d => ReqCall.Read(d)),
        ("reply-call", d => ReplyCall.Read(d)),
        ("req-dmaster", d => ReqDmaster.Read(d)),
        ("reply-dmaster", d => ReplyDmaster.Read(d)),
        ("reply-error", d => ReplyError.Read(d)),
        ("req-message", d => ReqMessage.Read(d)),
        ("req-control", d => ReqControl.Read(d)),
        ("reply-control", d => ReplyControl.Read(d)),
        ("req-keepalive", d => ReqKeepalive.Read(d)),
        ("req-tunnel", d => ReqTunnel.Read(d)),
    ];

    /// <summary>The decoders of control and message data, by name.</summary>
    public static readonly (string Name, Decoder Decode)[] Data =
    [
        ("addr-info", d => AddrInfo.Read(d)),
        ("ban-state", d => BanState.Read(d)),
        ("connection", d => CtdbConnection.Read(d)),
        ("cstring", d => CString.Decode(d)),
        ("cstring-terminated", d => CString.DecodeTerminated(d)),
        ("db-map", d => DbMap.Read(d)),
        ("db-statistics", d => DbStatistics.Read(d)),
        ("iface", d => Iface.Read(d)),
        ("iface-list", d => IfaceList.Read(d)),
        ("key-data", d => KeyData.Read(d)),
        ("latency-counter", d => LatencyCounter.Read(d)),
        ("leader-state", d => LeaderState.Read(d)),
        ("ltdb-header", d => LtdbHeader.Read(d)),
        ("ltdb-header-try", d => LtdbHeader.TryRead(d, out _)),
        ("node-and-flags", d => NodeAndFlags.Read(d)),
        ("node-flag-change", d => NodeFlagChange.Read(d)),
        ("node-map", d => NodeMap.Read(d)),
        ("pid-srvid", d => PidSrvid.Read(d)),
        ("public-ip", d => PublicIp.Read(d)),
        ("public-ip-info", d => PublicIpInfo.Read(d)),
        ("public-ip-list", d => PublicIpList.Read(d)),
        ("pull-db-ext", d => PullDbExt.Read(d)),
        ("rec-buffer", ReadRecBuffer),
        ("rec-data", d => RecData.Read(d, out _)),
        ("sock-addr", d => SockAddr.Read(d)),
        ("statistics", d => CtdbStatistics.Read(d)),
        ("string-n", d => StringN.Read(d)),
        ("tcp-changes", d => TcpChanges.Read(d)),
        ("tickle-list", d => TickleList.Read(d)),
        ("timeval", d => Timeval.Read(d)),
        ("trans-db", d => TransDb.Read(d)),
        ("traverse-all", d => TraverseAll.Read(d)),
        ("traverse-all-ext", d => TraverseAllExt.Read(d)),
        ("traverse-start", d => TraverseStart.Read(d)),
        ("traverse-start-ext", d => TraverseStartExt.Read(d)),
        ("tunable-list", d => TunableList.Read(d)),
        ("tunable-value", d => TunableValue.Read(d)),
        ("uptime", d => Uptime.Read(d)),
        ("var-list", d => VarList.Read(d)),
        ("vnn-map", d => VnnMap.Read(d)),
    ];

    public static IEnumerable<IFuzzTarget> All()
    {
        yield return new CodecTarget("packet", DecodePacket);
        yield return new CodecTarget("control-data", DecodeControlData);
        yield return new CodecTarget("framing", DecodeStream);
        foreach (var (name, decode) in Packets)
        {
            yield return new CodecTarget(name, decode);
        }
        foreach (var (name, decode) in Data)
        {
            yield return new CodecTarget(name, decode);
        }
    }

    /// <summary>A header, then the body by the operation it names; control data through every data decoder.</summary>
    public static void DecodePacket(ReadOnlySpan<byte> packet)
    {
        var header = PacketHeader.Read(packet);
        switch (header.Operation)
        {
            case Operation.ReqCall: ReqCall.Read(packet); break;
            case Operation.ReplyCall: ReplyCall.Read(packet); break;
            case Operation.ReqDmaster:
                var dmaster = ReqDmaster.Read(packet);
                LtdbHeader.TryRead(dmaster.Data, out _);
                break;
            case Operation.ReplyDmaster: ReplyDmaster.Read(packet); break;
            case Operation.ReplyError: ReplyError.Read(packet); break;
            case Operation.ReqMessage: ReadRecBuffer(ReqMessage.Read(packet).Data); break;
            case Operation.ReqControl: EveryDataDecoder(ReqControl.Read(packet).Data); break;
            case Operation.ReplyControl: EveryDataDecoder(ReplyControl.Read(packet).Data); break;
            case Operation.ReqKeepalive: ReqKeepalive.Read(packet); break;
            case Operation.ReqTunnel: ReqTunnel.Read(packet); break;
            default: break;
        }
    }

    /// <summary>First byte: which data decoder; the rest: its input.</summary>
    public static void DecodeControlData(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }
        Data[input[0] % Data.Length].Decode(input[1..]);
    }

    /// <summary>The input as a stream, in reads of 1 to 64 bytes (sizes taken from the input), through a <see cref="FrameReader"/>.</summary>
    public static void DecodeStream(ReadOnlySpan<byte> input)
    {
        var reader = new FrameReader(64, 1 << 20);
        int at = 0;
        while (at < input.Length)
        {
            var free = reader.FreeSpace();
            int n = Math.Min(Math.Min(free.Length, (input[at] % 64) + 1), input.Length - at);
            input.Slice(at, n).CopyTo(free);
            reader.Advance(n);
            at += n;
            while (reader.TryTake(out int offset, out int length))
            {
                DecodePacket(reader.Buffer.Span.Slice(offset, length));
            }
        }
    }

    private static void EveryDataDecoder(ReadOnlySpan<byte> data)
    {
        foreach (var (_, decode) in Data)
        {
            try
            {
                decode(data);
            }
            catch (ProtocolException)
            {
            }
        }
    }

    private static void ReadRecBuffer(ReadOnlySpan<byte> data)
    {
        var buffer = RecBuffer.Read(data);
        foreach (var record in buffer)
        {
            if (record.Data.Length >= LtdbHeader.Size)
            {
                LtdbHeader.Read(record.Data);
            }
        }
    }
}
