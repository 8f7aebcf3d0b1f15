// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Recovery;

/// <summary>Packs records into rec buffers of at most a size limit (a larger record gets a buffer of its own).</summary>
internal sealed class RecBufferBatcher(uint dbId, int limit)
{
    private readonly List<byte[]> _done = new();
    private byte[] _current = Array.Empty<byte>();
    private int _length;
    private uint _count;

    /// <summary>Records added in total.</summary>
    public uint Total { get; private set; }

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data)
    {
        int size = RecData.GetEncodedSize(key.Length, data.Length);
        if (_count > 0 && _length + size > limit)
        {
            Flush();
        }
        if (_count == 0)
        {
            _current = new byte[Math.Max(limit, RecBuffer.HeadSize + size)];
            _length = RecBuffer.HeadSize;
        }
        _length += RecData.Write(_current.AsSpan(_length), 0, key, data);
        _count++;
        Total++;
    }

    /// <summary>The finished buffers.</summary>
    public List<byte[]> Finish()
    {
        if (_count > 0)
        {
            Flush();
        }
        return _done;
    }

    private void Flush()
    {
        var buffer = _current.AsSpan(0, _length).ToArray();
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, dbId);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(4), _count);
        _done.Add(buffer);
        _count = 0;
        _length = 0;
    }
}
