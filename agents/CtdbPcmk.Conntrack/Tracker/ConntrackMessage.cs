// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>
/// Reads ctnetlink event messages (linux/netfilter/nfnetlink_conntrack.h): a netlink header
/// whose type is NFNL_SUBSYS_CTNETLINK (1) &lt;&lt; 8 | IPCTNL_MSG_CT_NEW (0) or _DELETE (2), a
/// 4-byte nfgenmsg, then attributes. A new entry carries NLM_F_CREATE in the header's flags;
/// other NEW messages are updates, whose CTA_PROTOINFO / _TCP / _TCP_STATE tells a closing TCP
/// connection. Only TCP is reported; anything malformed or of no interest is skipped. Pure: no I/O.
/// </summary>
internal static class ConntrackMessage
{
    private const int NetlinkHeaderLength = 16;
    private const int NfgenmsgLength = 4;
    private const ushort SubsysCtnetlink = 1;
    private const byte MsgNew = 0;
    private const byte MsgDelete = 2;
    private const ushort FlagCreate = 0x400;
    private const ushort TypeMask = 0x3FFF;

    private const ushort CtaTupleOrig = 1;
    private const ushort CtaProtoinfo = 4;
    private const ushort CtaTupleIp = 1;
    private const ushort CtaTupleProto = 2;
    private const ushort CtaIpV4Src = 1;
    private const ushort CtaIpV4Dst = 2;
    private const ushort CtaIpV6Src = 3;
    private const ushort CtaIpV6Dst = 4;
    private const ushort CtaProtoNum = 1;
    private const ushort CtaProtoSrcPort = 2;
    private const ushort CtaProtoDstPort = 3;
    private const ushort CtaProtoinfoTcp = 1;
    private const ushort CtaProtoinfoTcpState = 1;
    private const byte IpprotoTcp = 6;

    /// <summary>TCP_CONNTRACK_FIN_WAIT: from here on (CLOSE_WAIT, LAST_ACK, TIME_WAIT, CLOSE) the connection is ending.</summary>
    private const byte TcpStateFinWait = 4;
    private const byte TcpStateClose = 8;

    /// <summary>
    /// Calls <paramref name="visit"/> for every TCP event among the netlink messages in
    /// <paramref name="datagram"/>; returns the number of messages read.
    /// </summary>
    public static int ForEach(ReadOnlySpan<byte> datagram, Action<FlowEvent> visit)
    {
        int messages = 0;
        while (datagram.Length >= NetlinkHeaderLength)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            if (length < NetlinkHeaderLength || length > datagram.Length)
            {
                break;
            }
            messages++;
            if (TryRead(datagram[..length], out var flow))
            {
                visit(flow);
            }
            int next = Align(length);
            if (next >= datagram.Length)
            {
                break;
            }
            datagram = datagram[next..];
        }
        return messages;
    }

    /// <summary>Reads one netlink message; false when it is not a TCP event worth reporting.</summary>
    public static bool TryRead(ReadOnlySpan<byte> message, out FlowEvent flow)
    {
        flow = default;
        if (message.Length < NetlinkHeaderLength + NfgenmsgLength)
        {
            return false;
        }
        ushort type = BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);
        ushort flags = BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);
        if (type >> 8 != SubsysCtnetlink)
        {
            return false;
        }
        byte kind = (byte)type;
        if (kind is not (MsgNew or MsgDelete))
        {
            return false;
        }
        var tuple = new Tuple();
        byte tcpState = 0;
        Walk(message[(NetlinkHeaderLength + NfgenmsgLength)..], ref tuple, ref tcpState, Level.Top);
        if (tuple.Protocol != IpprotoTcp || tuple.Source is null || tuple.Destination is null || tuple.SourcePort < 0 || tuple.DestinationPort < 0)
        {
            return false;
        }
        FlowChange change;
        if (kind == MsgDelete)
        {
            change = FlowChange.Closed;
        }
        else if ((flags & FlagCreate) != 0)
        {
            change = FlowChange.Opened;
        }
        else if (tcpState is >= TcpStateFinWait and <= TcpStateClose)
        {
            change = FlowChange.Closed;
        }
        else
        {
            return false;
        }
        flow = new FlowEvent(change, new IPEndPoint(tuple.Source, tuple.SourcePort), new IPEndPoint(tuple.Destination, tuple.DestinationPort));
        return true;
    }

    private enum Level
    {
        Top,
        Tuple,
        TupleIp,
        TupleProto,
        Protoinfo,
        ProtoinfoTcp,
    }

    private ref struct Tuple
    {
        public IPAddress? Source;
        public IPAddress? Destination;
        public int SourcePort;
        public int DestinationPort;
        public byte Protocol;

        public Tuple()
        {
            SourcePort = -1;
            DestinationPort = -1;
        }
    }

    private static void Walk(ReadOnlySpan<byte> attributes, ref Tuple tuple, ref byte tcpState, Level level)
    {
        while (attributes.Length >= 4)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(attributes);
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(attributes[2..]) & TypeMask);
            if (length < 4 || length > attributes.Length)
            {
                return;
            }
            var payload = attributes[4..length];
            switch (level)
            {
                case Level.Top when type == CtaTupleOrig:
                    Walk(payload, ref tuple, ref tcpState, Level.Tuple);
                    break;
                case Level.Top when type == CtaProtoinfo:
                    Walk(payload, ref tuple, ref tcpState, Level.Protoinfo);
                    break;
                case Level.Tuple when type == CtaTupleIp:
                    Walk(payload, ref tuple, ref tcpState, Level.TupleIp);
                    break;
                case Level.Tuple when type == CtaTupleProto:
                    Walk(payload, ref tuple, ref tcpState, Level.TupleProto);
                    break;
                case Level.TupleIp:
                    ReadAddress(type, payload, ref tuple);
                    break;
                case Level.TupleProto when type == CtaProtoNum && payload.Length >= 1:
                    tuple.Protocol = payload[0];
                    break;
                case Level.TupleProto when type == CtaProtoSrcPort && payload.Length >= 2:
                    tuple.SourcePort = BinaryPrimitives.ReadUInt16BigEndian(payload);
                    break;
                case Level.TupleProto when type == CtaProtoDstPort && payload.Length >= 2:
                    tuple.DestinationPort = BinaryPrimitives.ReadUInt16BigEndian(payload);
                    break;
                case Level.Protoinfo when type == CtaProtoinfoTcp:
                    Walk(payload, ref tuple, ref tcpState, Level.ProtoinfoTcp);
                    break;
                case Level.ProtoinfoTcp when type == CtaProtoinfoTcpState && payload.Length >= 1:
                    tcpState = payload[0];
                    break;
            }
            int next = Align(length);
            if (next >= attributes.Length)
            {
                return;
            }
            attributes = attributes[next..];
        }
    }

    private static void ReadAddress(ushort type, ReadOnlySpan<byte> payload, ref Tuple tuple)
    {
        switch (type)
        {
            case CtaIpV4Src when payload.Length == 4:
                tuple.Source = new IPAddress(payload);
                break;
            case CtaIpV4Dst when payload.Length == 4:
                tuple.Destination = new IPAddress(payload);
                break;
            case CtaIpV6Src when payload.Length == 16:
                tuple.Source = new IPAddress(payload);
                break;
            case CtaIpV6Dst when payload.Length == 16:
                tuple.Destination = new IPAddress(payload);
                break;
        }
    }

    private static int Align(int n) => (n + 3) & ~3;
}
