// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;

namespace CtdbPcmk.Protocol;

/// <summary>
/// struct ctdb_public_ip (32 bytes): u32 pnn of the node hosting the address
/// (0xFFFFFFFF = unassigned), then the address. Also the RELEASE_IP / TAKEOVER_IP input.
/// </summary>
public sealed record PublicIp(uint Pnn, IPEndPoint Address)
{
    public const int Size = 4 + SockAddr.Size;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, Pnn);
        SockAddr.Write(buffer[4..], Address);
        return Size;
    }

    public static PublicIp Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "public ip");
        return new PublicIp(BinaryPrimitives.ReadUInt32LittleEndian(data), SockAddr.Read(data[4..]));
    }
}
