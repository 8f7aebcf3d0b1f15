// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// REQ_KEEPALIVE body (struct ctdb_req_keepalive_old): u32 version ((major &lt;&lt; 16) | minor,
/// <see cref="WireFormat.KeepaliveVersion"/> for 4.17), u32 uptime in seconds. A bare 32-byte
/// packet is the old keepalive without version; it reads as version 0 (a 4.17 peer treats
/// it as a version mismatch).
/// </summary>
public readonly ref struct ReqKeepalive
{
    public const int FixedSize = 40;

    public uint Version { get; init; }
    public uint Uptime { get; init; }

    /// <summary>False for the old header-only keepalive.</summary>
    public bool HasVersion { get; init; }

#pragma warning disable CA1822 // an instance member like on every other packet body
    public int ContentLength => FixedSize;
#pragma warning restore CA1822

    public static ReqKeepalive Read(ReadOnlySpan<byte> packet)
    {
        if (packet.Length == PacketHeader.Size)
        {
            return default;
        }
        Packet.Require(packet, FixedSize, "REQ_KEEPALIVE");
        return new ReqKeepalive
        {
            Version = BinaryPrimitives.ReadUInt32LittleEndian(packet[32..]),
            Uptime = BinaryPrimitives.ReadUInt32LittleEndian(packet[36..]),
            HasVersion = true,
        };
    }

    public int Write(Span<byte> buffer, PacketHeader header)
    {
        header.Operation = Operation.ReqKeepalive;
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[32..], Version);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[36..], Uptime);
        return Packet.Finish(buffer, ContentLength, header);
    }
}
