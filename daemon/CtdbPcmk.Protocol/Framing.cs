// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// Stream framing: every packet starts with its u32 total length. Framing only sizes packets;
/// it does not interpret them (header validation happens in <see cref="PacketHeader.Read"/>).
/// </summary>
public static class Framing
{
    /// <summary>
    /// Returns false while fewer than 4 bytes are buffered; otherwise the declared packet
    /// length. A length of 0, below the header size or above <see cref="WireFormat.MaxPacketSize"/>
    /// cannot be recovered from on a stream and throws.
    /// </summary>
    public static bool TryGetPacketLength(ReadOnlySpan<byte> buffered, out int length)
    {
        if (buffered.Length < 4)
        {
            length = 0;
            return false;
        }
        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(buffered);
        if (declared == 0)
        {
            ProtocolException.Throw("packet length 0 on the stream");
        }
        if (declared < WireFormat.HeaderSize)
        {
            ProtocolException.Throw($"packet length {declared} shorter than the header");
        }
        if (declared > WireFormat.MaxPacketSize)
        {
            ProtocolException.Throw($"packet length {declared} above the limit of {WireFormat.MaxPacketSize}");
        }
        length = (int)declared;
        return true;
    }
}
