// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>
/// Writes XDR (RFC 4506): big-endian 4-byte units, variable-length data prefixed by its length and
/// padded with zero bytes to a multiple of four. Pure: it only fills a buffer.
/// </summary>
public sealed class XdrWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    public int Length => _buffer.WrittenCount;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();

    public XdrWriter WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
        return this;
    }

    public XdrWriter WriteInt32(int value) => WriteUInt32(unchecked((uint)value));

    /// <summary>unsigned hyper: 8 bytes, most significant first.</summary>
    public XdrWriter WriteUInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_buffer.GetSpan(8), value);
        _buffer.Advance(8);
        return this;
    }

    /// <summary>bool: an enum of FALSE = 0, TRUE = 1.</summary>
    public XdrWriter WriteBool(bool value) => WriteUInt32(value ? 1u : 0u);

    /// <summary>Fixed-length opaque: the bytes and the padding, no length.</summary>
    public XdrWriter WriteFixedOpaque(ReadOnlySpan<byte> data)
    {
        _buffer.Write(data);
        return Pad(data.Length);
    }

    /// <summary>Variable-length opaque: the length, the bytes, the padding.</summary>
    public XdrWriter WriteOpaque(ReadOnlySpan<byte> data)
    {
        WriteUInt32((uint)data.Length);
        return WriteFixedOpaque(data);
    }

    /// <summary>string: as variable-length opaque holding the UTF-8 bytes.</summary>
    public XdrWriter WriteString(string value) => WriteOpaque(Encoding.UTF8.GetBytes(value));

    /// <summary>An array of unsigned ints with its count (bitmap4, gid lists).</summary>
    public XdrWriter WriteUInt32Array(ReadOnlySpan<uint> values)
    {
        WriteUInt32((uint)values.Length);
        foreach (uint v in values)
        {
            WriteUInt32(v);
        }
        return this;
    }

    public XdrWriter WriteBytes(ReadOnlySpan<byte> raw)
    {
        _buffer.Write(raw);
        return this;
    }

    private XdrWriter Pad(int length)
    {
        int pad = (4 - (length & 3)) & 3;
        if (pad > 0)
        {
            var span = _buffer.GetSpan(pad)[..pad];
            span.Clear();
            _buffer.Advance(pad);
        }
        return this;
    }
}
