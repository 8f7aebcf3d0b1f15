// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server;

/// <summary>
/// A reusable output buffer for packets built and sent at once (loop thread only). Each
/// subsystem owns its own, so a packet under construction is never overwritten by another's.
/// Only everyday sizes are kept: a packet above <see cref="RetainLimit"/> (a large message, a
/// record set) gets a buffer of its own that is garbage once sent, so one 64 MB packet does not
/// leave each subsystem holding 64 MB for the rest of the daemon's life.
/// </summary>
internal sealed class ScratchBuffer
{
    public const int RetainLimit = 1024 * 1024;

    private byte[] _buffer = new byte[16 * 1024];

    /// <summary>The first <paramref name="size"/> bytes of a buffer, valid until the next call.</summary>
    public Span<byte> Get(int size)
    {
        if (size > RetainLimit)
        {
            return new byte[size];
        }
        if (_buffer.Length < size)
        {
            _buffer = new byte[Math.Min(RetainLimit, Math.Max(size, _buffer.Length * 2))];
        }
        return _buffer.AsSpan(0, size);
    }
}
