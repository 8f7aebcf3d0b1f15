// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>
/// Input side of a CTDB stream: bytes go in at <see cref="FreeSpace"/>, whole packets come out
/// of <see cref="TryTake"/> by their leading length field (<see cref="Framing"/>). Memory
/// follows the bytes that arrived: a header announcing a large packet grows the buffer only as
/// that packet's bytes come, at most doubling per step. A packet taken stays where it is in
/// <see cref="Buffer"/> until the next <see cref="FreeSpace"/>. The reader's own buffers are
/// arrays; a caller may hand it other memory for a large packet (<see cref="Adopt"/>). Used by
/// the daemon's connections and by the client library.
/// </summary>
public sealed class FrameReader
{
    private readonly int _initialSize;
    private readonly int _maxPacket;
    private Memory<byte> _buffer;
    private int _start;
    private int _end;

    public FrameReader(int initialSize, int maxPacket = WireFormat.MaxPacketSize)
    {
        _initialSize = initialSize;
        _maxPacket = maxPacket;
        _buffer = new byte[initialSize];
    }

    /// <summary>The buffer that packets returned by <see cref="TryTake"/> live in.</summary>
    public Memory<byte> Buffer => _buffer;

    /// <summary>
    /// Room for the next read, never empty. Packets taken before are released: an emptied
    /// buffer starts again at the front (and shrinks back after a large packet), a full one
    /// moves its unread bytes to the front or grows.
    /// </summary>
    public Span<byte> FreeSpace()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            if (_buffer.Length > _initialSize * 4)
            {
                _buffer = new byte[_initialSize];
            }
        }
        if (_end == _buffer.Length)
        {
            MakeRoom(NextCapacity());
        }
        return _buffer.Span[_end..];
    }

    /// <summary>
    /// The length the packet at the front declares when the next <see cref="FreeSpace"/> would
    /// grow the buffer past <paramref name="threshold"/> bytes to read it; otherwise 0. A caller
    /// that bounds large buffers asks here first, then hands over a buffer with <see cref="Adopt"/>.
    /// </summary>
    public int LargeGrowth(int threshold)
    {
        if (_start == _end || _end < _buffer.Length)
        {
            return 0;
        }
        int next = NextCapacity();
        if (next <= _buffer.Length || next <= threshold)
        {
            return 0;
        }
        return Framing.TryGetPacketLength(Unread, out int length) ? length : 0;
    }

    /// <summary>
    /// Reads on in <paramref name="buffer"/> (at least as long as the unread bytes), the unread
    /// bytes moved to its front: the caller sizes the buffer for a large packet itself.
    /// </summary>
    public void Adopt(Memory<byte> buffer)
    {
        int have = _end - _start;
        ArgumentOutOfRangeException.ThrowIfLessThan(buffer.Length, Math.Max(have, 1));
        Unread.CopyTo(buffer.Span);
        _buffer = buffer;
        _start = 0;
        _end = have;
    }

    /// <summary>Bytes of the packet at the front not here yet; 0 when it is whole, or when not even its length is here.</summary>
    public int FrontRemaining =>
        Framing.TryGetPacketLength(Unread, out int length) ? Math.Max(0, length - (_end - _start)) : 0;

    /// <summary>
    /// Gives a large buffer back once what is left unread fits a small one: after a large packet
    /// is taken, the reader keeps only what it needs for the next. Returns the buffer it let go
    /// of, or null. Packets taken before are no longer in <see cref="Buffer"/> after it.
    /// </summary>
    public Memory<byte>? Trim()
    {
        if (_buffer.Length <= _initialSize * 4 || _end - _start > _initialSize)
        {
            return null;
        }
        var large = _buffer;
        var small = new byte[_initialSize];
        Unread.CopyTo(small);
        _buffer = small;
        _end -= _start;
        _start = 0;
        return large;
    }

    /// <summary>Counts <paramref name="count"/> bytes written at the start of <see cref="FreeSpace"/>.</summary>
    public void Advance(int count) => _end += count;

    /// <summary>
    /// The next whole packet, as an offset and length in <see cref="Buffer"/>; false while it
    /// is incomplete. A length field no stream can recover from throws <see cref="ProtocolException"/>.
    /// </summary>
    public bool TryTake(out int offset, out int length)
    {
        if (!Framing.TryGetPacketLength(Unread, out length))
        {
            offset = 0;
            return false;
        }
        if (length > _maxPacket)
        {
            ProtocolException.Throw($"packet length {length} above this connection's limit of {_maxPacket}");
        }
        if (_end - _start < length)
        {
            offset = 0;
            length = 0;
            return false;
        }
        offset = _start;
        _start += length;
        return true;
    }

    /// <summary>
    /// The size once the buffer is full: the same when moving the unread bytes to the front
    /// makes room for the rest of the packet being read, else twice the size, but no more than
    /// that packet needs.
    /// </summary>
    private int NextCapacity()
    {
        int have = _end - _start;
        int declared = Framing.TryGetPacketLength(Unread, out int length) ? length : 0;
        int needed = Math.Max(declared, have + 1);
        if (needed <= _buffer.Length)
        {
            return _buffer.Length;
        }
        return (int)Math.Min(needed, Math.Max(2L * _buffer.Length, _initialSize));
    }

    /// <summary>The bytes read and not yet taken.</summary>
    private Span<byte> Unread => _buffer.Span[_start.._end];

    private void MakeRoom(int capacity)
    {
        int have = _end - _start;
        if (capacity > _buffer.Length)
        {
            var target = new byte[capacity];
            Unread.CopyTo(target);
            _buffer = target;
        }
        else
        {
            Unread.CopyTo(_buffer.Span);
        }
        _start = 0;
        _end = have;
    }
}
