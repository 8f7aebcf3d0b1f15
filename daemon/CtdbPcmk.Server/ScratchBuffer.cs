// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server;

/// <summary>
/// A reusable output buffer for packets built and sent at once (loop thread only). Each
/// subsystem owns its own, so a packet under construction is never overwritten by another's.
/// Everyday sizes are kept for good. A packet above <see cref="RetainLimit"/> (a large message,
/// a record set) gets a buffer that serves the large packets right behind it and is let go of
/// (and counted as garbage, see <see cref="LargeBuffers"/>) at the next everyday packet, so one
/// 64 MB packet does not leave each subsystem holding 64 MB for the rest of the daemon's life,
/// and a run of large ones does not leave a buffer of garbage each.
/// </summary>
internal sealed class ScratchBuffer
{
    public const int RetainLimit = 1024 * 1024;

    private byte[] _buffer = new byte[16 * 1024];
    private byte[]? _large;

    /// <summary>The first <paramref name="size"/> bytes of a buffer, valid until the next call.</summary>
    public Span<byte> Get(int size)
    {
        if (size > RetainLimit)
        {
            if (_large is null || _large.Length < size)
            {
                ReleaseLarge();
                _large = new byte[size];
            }
            return _large.AsSpan(0, size);
        }
        ReleaseLarge();
        if (_buffer.Length < size)
        {
            _buffer = new byte[Math.Min(RetainLimit, Math.Max(size, _buffer.Length * 2))];
        }
        return _buffer.AsSpan(0, size);
    }

    private void ReleaseLarge()
    {
        if (_large is not null)
        {
            LargeBuffers.Dropped(_large.Length);
            _large = null;
        }
    }
}
