// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>Helpers shared by the packet codecs.</summary>
public static class Packet
{
    /// <summary>
    /// Size of a packet on the wire: content rounded up to 8 bytes, as every ctdbd output
    /// queue does (the header's length field carries the rounded value).
    /// </summary>
    public static int WireSize(int contentLength) => WireFormat.Align(contentLength);

    /// <summary>
    /// Writes the header with the padded length and zero-fills the pad after the content.
    /// Returns the padded size.
    /// </summary>
    public static int Finish(Span<byte> buffer, int contentLength, PacketHeader header)
    {
        int size = WireFormat.Align(contentLength);
        header.Length = (uint)size;
        header.Write(buffer);
        buffer[contentLength..size].Clear();
        return size;
    }

    /// <summary>
    /// Checks that a packet of the given operation is long enough for a fixed part and
    /// returns the part of it the length field covers (trailing pad removed by the caller).
    /// </summary>
    internal static void Require(ReadOnlySpan<byte> packet, int need, string what)
    {
        if (packet.Length < need)
        {
            ProtocolException.Truncated(what, need, packet.Length);
        }
    }

    internal static ReadOnlySpan<byte> Slice(ReadOnlySpan<byte> packet, int offset, uint length, string what)
    {
        if (length > (uint)(packet.Length - offset))
        {
            ProtocolException.Throw($"{what}: {length} bytes declared at offset {offset}, packet has {packet.Length}");
        }
        return packet.Slice(offset, (int)length);
    }
}
