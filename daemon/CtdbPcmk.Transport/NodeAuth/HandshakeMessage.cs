// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>
/// The codec of the handshake messages that open an authenticated node link. Each is a frame
/// that starts like a CTDB packet with its u32 length (so the same framing carries it), then
/// this protocol's own magic "CPNL" where a CTDB packet has "CTDB": a node without a key reads
/// a Hello as a malformed packet and closes the link, and a keyed node reads a plain CTDB
/// packet as a refused handshake. Layout after the length, little-endian:
/// <code>
/// u32 magic | u8 version | u8 type | u16 zero
/// Hello:     u32 opener pnn | u32 acceptor pnn | u64 key id | 32-byte opener nonce
/// Challenge: u64 key id | 32-byte acceptor nonce | 32-byte acceptor proof
/// Proof:     32-byte opener proof
/// Refusal:   u32 reason | 16 zero bytes (every frame is at least a CTDB header long)
/// </code>
/// Pure: no I/O, no state.
/// </summary>
internal static class HandshakeMessage
{
    public const uint Magic = 0x4C4E5043; // "CPNL" on the wire
    public const byte Version = 1;
    public const int HeaderSize = 12;
    public const int NonceSize = 32;
    public const int ProofSize = 32;

    public const int HelloSize = HeaderSize + 4 + 4 + 8 + NonceSize;
    public const int ChallengeSize = HeaderSize + 8 + NonceSize + ProofSize;
    public const int ProofMessageSize = HeaderSize + ProofSize;
    public const int RefusalSize = WireFormat.HeaderSize;

    public static int WriteHello(Span<byte> dest, uint openerPnn, uint acceptorPnn, ulong keyId, ReadOnlySpan<byte> nonce)
    {
        var body = WriteHeader(dest, HandshakeType.Hello, HelloSize);
        BinaryPrimitives.WriteUInt32LittleEndian(body, openerPnn);
        BinaryPrimitives.WriteUInt32LittleEndian(body[4..], acceptorPnn);
        BinaryPrimitives.WriteUInt64LittleEndian(body[8..], keyId);
        Copy(nonce, body[16..], NonceSize);
        return HelloSize;
    }

    public static int WriteChallenge(Span<byte> dest, ulong keyId, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> proof)
    {
        var body = WriteHeader(dest, HandshakeType.Challenge, ChallengeSize);
        BinaryPrimitives.WriteUInt64LittleEndian(body, keyId);
        Copy(nonce, body[8..], NonceSize);
        Copy(proof, body[(8 + NonceSize)..], ProofSize);
        return ChallengeSize;
    }

    public static int WriteProof(Span<byte> dest, ReadOnlySpan<byte> proof)
    {
        var body = WriteHeader(dest, HandshakeType.Proof, ProofMessageSize);
        Copy(proof, body, ProofSize);
        return ProofMessageSize;
    }

    public static int WriteRefusal(Span<byte> dest, HandshakeRefusal reason)
    {
        var body = WriteHeader(dest, HandshakeType.Refusal, RefusalSize);
        BinaryPrimitives.WriteUInt32LittleEndian(body, (uint)reason);
        body[4..].Clear();
        return RefusalSize;
    }

    /// <summary>
    /// The type of a whole frame and its body after the header; throws
    /// <see cref="ProtocolException"/> for anything that is not a handshake message of this
    /// version with the size its type requires.
    /// </summary>
    public static HandshakeType Read(ReadOnlySpan<byte> frame, out ReadOnlySpan<byte> body)
    {
        if (frame.Length < HeaderSize)
        {
            ProtocolException.Truncated("handshake message", HeaderSize, frame.Length);
        }
        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(frame[4..]);
        if (magic == WireFormat.Magic)
        {
            ProtocolException.Throw("a CTDB packet where the handshake was expected (the peer has no node key)");
        }
        if (magic != Magic)
        {
            ProtocolException.Throw($"not a handshake message (magic 0x{magic:x8})");
        }
        if (frame[8] != Version)
        {
            ProtocolException.Throw($"handshake version {frame[8]} is not supported (this node speaks {Version})");
        }
        if (BinaryPrimitives.ReadUInt16LittleEndian(frame[10..]) != 0)
        {
            ProtocolException.Throw("handshake header's reserved bytes are not zero");
        }
        var type = (HandshakeType)frame[9];
        int expected = type switch
        {
            HandshakeType.Hello => HelloSize,
            HandshakeType.Challenge => ChallengeSize,
            HandshakeType.Proof => ProofMessageSize,
            HandshakeType.Refusal => RefusalSize,
            _ => ProtocolException.Throw<int>($"unknown handshake message type {frame[9]}"),
        };
        if (frame.Length != expected)
        {
            ProtocolException.Throw($"handshake {type} of {frame.Length} bytes, expected {expected}");
        }
        body = frame[HeaderSize..];
        return type;
    }

    /// <summary>The opener's nonce and the Hello's fields.</summary>
    public static ReadOnlySpan<byte> ReadHello(ReadOnlySpan<byte> body, out uint openerPnn, out uint acceptorPnn, out ulong keyId)
    {
        openerPnn = BinaryPrimitives.ReadUInt32LittleEndian(body);
        acceptorPnn = BinaryPrimitives.ReadUInt32LittleEndian(body[4..]);
        keyId = BinaryPrimitives.ReadUInt64LittleEndian(body[8..]);
        return body.Slice(16, NonceSize);
    }

    /// <summary>The acceptor's nonce; <paramref name="proof"/> its proof.</summary>
    public static ReadOnlySpan<byte> ReadChallenge(ReadOnlySpan<byte> body, out ulong keyId, out ReadOnlySpan<byte> proof)
    {
        keyId = BinaryPrimitives.ReadUInt64LittleEndian(body);
        proof = body.Slice(8 + NonceSize, ProofSize);
        return body.Slice(8, NonceSize);
    }

    public static ReadOnlySpan<byte> ReadProof(ReadOnlySpan<byte> body) => body[..ProofSize];

    public static HandshakeRefusal ReadRefusal(ReadOnlySpan<byte> body) => (HandshakeRefusal)BinaryPrimitives.ReadUInt32LittleEndian(body);

    public static string Describe(HandshakeRefusal reason) => reason switch
    {
        HandshakeRefusal.UnknownKey => "it does not have our node key",
        HandshakeRefusal.WrongNode => "the node numbers do not match its nodes file",
        HandshakeRefusal.BadProof => "our proof of the key did not verify",
        _ => $"reason {(uint)reason}",
    };

    private static Span<byte> WriteHeader(Span<byte> dest, HandshakeType type, int size)
    {
        if (dest.Length < size)
        {
            throw new ArgumentException($"need {size} bytes for a handshake {type}", nameof(dest));
        }
        BinaryPrimitives.WriteUInt32LittleEndian(dest, (uint)size);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[4..], Magic);
        dest[8] = Version;
        dest[9] = (byte)type;
        BinaryPrimitives.WriteUInt16LittleEndian(dest[10..], 0);
        return dest[HeaderSize..size];
    }

    private static void Copy(ReadOnlySpan<byte> source, Span<byte> dest, int size)
    {
        if (source.Length != size)
        {
            throw new ArgumentException($"expected {size} bytes");
        }
        source.CopyTo(dest);
    }
}
