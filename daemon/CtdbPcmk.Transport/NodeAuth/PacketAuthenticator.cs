// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>
/// The MAC on every packet of an authenticated node link. A frame is
/// <c>u32 frame length | the CTDB packet, unchanged | 16-byte tag</c>, the tag being the first
/// AES-128-CMAC(first 16 bytes of the direction key, u64 sequence number | frame length |
/// packet), see <see cref="AesCmac"/>. The
/// sequence number is not sent: each side counts the frames of its direction from 0, so a
/// frame replayed, dropped, reordered or moved to another connection (whose keys differ) fails
/// the check. The direction keys come from the handshake (<see cref="LinkHandshake"/>).
/// Allocation-free per packet.
/// </summary>
internal sealed class PacketAuthenticator : ILinkProtection
{
    public const int TagSize = AesCmac.TagSize;
    public const int FrameOverhead = 4 + TagSize;

    private readonly AesCmac _send;
    private readonly AesCmac _receive;
    private ulong _sent;
    private ulong _received;

    public PacketAuthenticator(ReadOnlySpan<byte> sendKey, ReadOnlySpan<byte> receiveKey)
    {
        _send = new AesCmac(sendKey[..AesCmac.KeySize]);
        _receive = new AesCmac(receiveKey[..AesCmac.KeySize]);
    }

    public int Overhead => FrameOverhead;

    /// <summary>Frames sealed so far (the next frame's sequence number).</summary>
    public ulong Sent => _sent;

    /// <summary>Frames opened so far.</summary>
    public ulong Received => _received;

    public void Seal(ReadOnlySpan<byte> packet, Span<byte> frame)
    {
        int length = packet.Length + FrameOverhead;
        if (frame.Length != length)
        {
            throw new ArgumentException($"frame must be {length} bytes", nameof(frame));
        }
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)length);
        packet.CopyTo(frame[4..]);
        Tag(_send, _sent, frame[..^TagSize], frame[^TagSize..]);
        _sent++;
    }

    public ReadOnlySpan<byte> Open(ReadOnlySpan<byte> frame)
    {
        if (frame.Length < FrameOverhead + WireFormat.HeaderSize)
        {
            ProtocolException.Throw($"authenticated frame of {frame.Length} bytes is too short");
        }
        Span<byte> expected = stackalloc byte[TagSize];
        Tag(_receive, _received, frame[..^TagSize], expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, frame[^TagSize..]))
        {
            ProtocolException.Throw($"packet {_received} failed authentication (altered, replayed, out of order or not from a node with the key)");
        }
        _received++;
        var packet = frame[4..^TagSize];
        if (BinaryPrimitives.ReadUInt32LittleEndian(packet) != (uint)packet.Length)
        {
            ProtocolException.Throw($"authenticated frame of {frame.Length} bytes carries a packet whose length field is not {packet.Length}");
        }
        return packet;
    }

    private static void Tag(AesCmac mac, ulong sequence, ReadOnlySpan<byte> covered, Span<byte> tag)
    {
        Span<byte> seq = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(seq, sequence);
        mac.Compute(seq, covered, tag);
    }

    public void Dispose()
    {
        _send.Dispose();
        _receive.Dispose();
    }
}
