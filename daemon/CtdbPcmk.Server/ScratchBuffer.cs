// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server;

/// <summary>
/// A reusable output buffer for packets built and sent at once (loop thread only). Each
/// subsystem owns its own, so a packet under construction is never overwritten by another's.
/// </summary>
internal sealed class ScratchBuffer
{
    private byte[] _buffer = new byte[16 * 1024];

    /// <summary>The first <paramref name="size"/> bytes of the buffer, grown when needed.</summary>
    public Span<byte> Get(int size)
    {
        if (_buffer.Length < size)
        {
            _buffer = new byte[Math.Max(size, _buffer.Length * 2)];
        }
        return _buffer.AsSpan(0, size);
    }
}
