// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;

namespace CtdbPcmk.Protocol;

/// <summary>
/// struct ctdb_iface (24 bytes): char name[18] NUL-padded, u16 link_state (0 down, 1 up),
/// u32 references (public IPs currently using it).
/// </summary>
public sealed record Iface(string Name, ushort LinkState, uint References)
{
    public const int Size = 24;
    /// <summary>Bytes of the name field (CTDB_IFACE_SIZE + 2); the name needs a NUL inside it.</summary>
    public const int NameFieldSize = 18;

    public bool IsUp => LinkState != 0;

    public int Write(Span<byte> buffer)
    {
        var dest = buffer[..Size];
        dest.Clear();
        if (Encoding.UTF8.GetByteCount(Name) >= NameFieldSize)
        {
            throw new InvalidOperationException($"interface name '{Name}' does not fit in {NameFieldSize - 1} bytes");
        }
        Encoding.UTF8.GetBytes(Name, dest);
        BinaryPrimitives.WriteUInt16LittleEndian(dest[18..], LinkState);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[20..], References);
        return Size;
    }

    public static Iface Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "iface");
        return new Iface(
            CString.Decode(data[..NameFieldSize]),
            BinaryPrimitives.ReadUInt16LittleEndian(data[18..]),
            BinaryPrimitives.ReadUInt32LittleEndian(data[20..]));
    }
}
