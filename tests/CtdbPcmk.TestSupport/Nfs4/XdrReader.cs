// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;

namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>Reads XDR (RFC 4506) from a buffer; running out of bytes throws <see cref="InvalidDataException"/>.</summary>
public sealed class XdrReader
{
    private readonly ReadOnlyMemory<byte> _data;

    public XdrReader(ReadOnlyMemory<byte> data) => _data = data;

    public int Position { get; private set; }

    public int Remaining => _data.Length - Position;

    public uint ReadUInt32() => BinaryPrimitives.ReadUInt32BigEndian(Take(4));

    public int ReadInt32() => BinaryPrimitives.ReadInt32BigEndian(Take(4));

    public ulong ReadUInt64() => BinaryPrimitives.ReadUInt64BigEndian(Take(8));

    public bool ReadBool() => ReadUInt32() switch
    {
        0 => false,
        1 => true,
        var v => throw new InvalidDataException($"XDR bool {v} at offset {Position - 4}"),
    };

    public byte[] ReadFixedOpaque(int length)
    {
        byte[] bytes = Take(length).ToArray();
        Take((4 - (length & 3)) & 3);
        return bytes;
    }

    public byte[] ReadOpaque(int maxLength = int.MaxValue)
    {
        uint length = ReadUInt32();
        if (length > (uint)maxLength || length > (uint)Remaining)
        {
            throw new InvalidDataException($"XDR opaque of {length} bytes at offset {Position - 4} ({Remaining} left, limit {maxLength})");
        }
        return ReadFixedOpaque((int)length);
    }

    public string ReadString() => Encoding.UTF8.GetString(ReadOpaque());

    public uint[] ReadUInt32Array()
    {
        uint count = ReadUInt32();
        if (count > (uint)Remaining / 4)
        {
            throw new InvalidDataException($"XDR array of {count} words at offset {Position - 4} ({Remaining} bytes left)");
        }
        var values = new uint[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = ReadUInt32();
        }
        return values;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > Remaining)
        {
            throw new InvalidDataException($"XDR data ends at offset {_data.Length}, {count} bytes wanted at {Position}");
        }
        var span = _data.Span.Slice(Position, count);
        Position += count;
        return span;
    }
}
