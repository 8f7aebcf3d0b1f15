// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>
/// One side of the handshake that opens an authenticated node link (messages in
/// <see cref="HandshakeMessage"/>). The opener sends Hello (its pnn, the acceptor's pnn, the id
/// of its first key, a fresh nonce); the acceptor, if it holds that key and the pnns match the
/// connection, answers Challenge (its own fresh nonce and its proof); the opener checks that
/// proof and answers with its own. A proof is HMAC-SHA256(key, role | transcript), the
/// transcript being a fixed label, the key id, both pnns and both nonces, so each proof is
/// bound to this connection, its direction and both node identities, and a proof taken from
/// one connection or one role is worthless on another. Both sides then derive one key per
/// direction, HMAC-SHA256(key, direction | transcript), for <see cref="PacketAuthenticator"/>.
/// Pure apart from drawing nonces.
/// </summary>
internal sealed class LinkHandshake
{
    private const byte RoleAcceptorProof = 1;
    private const byte RoleOpenerProof = 2;
    private const byte DirectionOpenerToAcceptor = 3;
    private const byte DirectionAcceptorToOpener = 4;
    private static readonly byte[] s_label = Encoding.ASCII.GetBytes("ctdb-pcmk node link v1");
    private const int TranscriptSize = 22 + 8 + 4 + 4 + HandshakeMessage.NonceSize * 2;

    private readonly NodeKeySet _keys;
    private readonly bool _opener;
    private readonly uint _localPnn;
    private readonly uint _peerPnn;
    private readonly byte[] _nonce = new byte[HandshakeMessage.NonceSize];
    private byte[]? _transcript;
    private NodeKey? _key;
    private State _state;

    private enum State { AwaitHello, AwaitChallenge, AwaitProof, Done, Failed }

    private LinkHandshake(NodeKeySet keys, bool opener, uint localPnn, uint peerPnn, ReadOnlySpan<byte> nonce)
    {
        _keys = keys;
        _opener = opener;
        _localPnn = localPnn;
        _peerPnn = peerPnn;
        if (nonce.IsEmpty)
        {
            RandomNumberGenerator.Fill(_nonce);
        }
        else
        {
            nonce.CopyTo(_nonce);
        }
        _state = opener ? State.AwaitChallenge : State.AwaitHello;
    }

    /// <summary>The side that opened the connection; <paramref name="hello"/> is its first message.</summary>
    public static LinkHandshake Opener(NodeKeySet keys, uint localPnn, uint peerPnn, out byte[] hello, ReadOnlySpan<byte> nonce = default)
    {
        var h = new LinkHandshake(keys, opener: true, localPnn, peerPnn, nonce);
        h._key = keys.Primary;
        hello = new byte[HandshakeMessage.HelloSize];
        HandshakeMessage.WriteHello(hello, localPnn, peerPnn, h._key.Id, h._nonce);
        return h;
    }

    /// <summary>The side that accepted a connection from the node <paramref name="peerPnn"/> (known by its source address).</summary>
    public static LinkHandshake Acceptor(NodeKeySet keys, uint localPnn, uint peerPnn, ReadOnlySpan<byte> nonce = default) =>
        new(keys, opener: false, localPnn, peerPnn, nonce);

    /// <summary>The key the link was proven with, once known.</summary>
    public NodeKey? Key => _key;

    public bool IsDone => _state == State.Done;

    /// <summary>
    /// Takes the other side's next message. Returns what to send back (or nothing) and, once
    /// this side is satisfied, the link's packet authenticator. A failure returns the reason
    /// (and perhaps a Refusal to send before closing); malformed frames throw
    /// <see cref="ProtocolException"/>. After a failure or completion nothing more is accepted.
    /// </summary>
    public HandshakeStep Receive(ReadOnlySpan<byte> frame)
    {
        var state = _state;
        _state = State.Failed;
        var type = HandshakeMessage.Read(frame, out var body);
        if (type == HandshakeType.Refusal)
        {
            return HandshakeStep.Fail($"refused by the peer: {HandshakeMessage.Describe(HandshakeMessage.ReadRefusal(body))}");
        }
        var step = (state, type) switch
        {
            (State.AwaitHello, HandshakeType.Hello) => OnHello(body),
            (State.AwaitChallenge, HandshakeType.Challenge) => OnChallenge(body),
            (State.AwaitProof, HandshakeType.Proof) => OnProof(body),
            _ => throw new ProtocolException($"handshake {type} out of turn"),
        };
        return step;
    }

    private HandshakeStep OnHello(ReadOnlySpan<byte> body)
    {
        var nonce = HandshakeMessage.ReadHello(body, out uint openerPnn, out uint acceptorPnn, out ulong keyId);
        if (openerPnn != _peerPnn || acceptorPnn != _localPnn)
        {
            return HandshakeStep.Refuse(HandshakeRefusal.WrongNode,
                $"it claims to be node {openerPnn} connecting to node {acceptorPnn}, but its address is node {_peerPnn}'s and this is node {_localPnn}");
        }
        if (_keys.Find(keyId) is not { } key)
        {
            return HandshakeStep.Refuse(HandshakeRefusal.UnknownKey,
                $"its key (id {keyId:x16}) is not one of ours ({_keys}): a different or missing node key");
        }
        _key = key;
        _transcript = Transcript(key.Id, openerPnn, acceptorPnn, nonce, _nonce);
        var reply = new byte[HandshakeMessage.ChallengeSize];
        Span<byte> proof = stackalloc byte[HandshakeMessage.ProofSize];
        Derive(key.Secret, RoleAcceptorProof, _transcript, proof);
        HandshakeMessage.WriteChallenge(reply, key.Id, _nonce, proof);
        _state = State.AwaitProof;
        return new HandshakeStep(reply, null, null);
    }

    private HandshakeStep OnChallenge(ReadOnlySpan<byte> body)
    {
        var nonce = HandshakeMessage.ReadChallenge(body, out ulong keyId, out var proof);
        var key = _key!;
        if (keyId != key.Id)
        {
            return HandshakeStep.Fail($"the peer answered with key id {keyId:x16}, not ours ({key})");
        }
        _transcript = Transcript(key.Id, _localPnn, _peerPnn, _nonce, nonce);
        if (!Verify(key.Secret, RoleAcceptorProof, _transcript, proof))
        {
            return HandshakeStep.Refuse(HandshakeRefusal.BadProof, "its proof of the key did not verify: a different key, or not the node it claims to be");
        }
        var reply = new byte[HandshakeMessage.ProofMessageSize];
        Span<byte> mine = stackalloc byte[HandshakeMessage.ProofSize];
        Derive(key.Secret, RoleOpenerProof, _transcript, mine);
        HandshakeMessage.WriteProof(reply, mine);
        _state = State.Done;
        return new HandshakeStep(reply, CreateAuthenticator(key), null);
    }

    private HandshakeStep OnProof(ReadOnlySpan<byte> body)
    {
        var key = _key!;
        if (!Verify(key.Secret, RoleOpenerProof, _transcript!, HandshakeMessage.ReadProof(body)))
        {
            return HandshakeStep.Refuse(HandshakeRefusal.BadProof, "its proof of the key did not verify: a different key, or replayed traffic");
        }
        _state = State.Done;
        return new HandshakeStep(null, CreateAuthenticator(key), null);
    }

    private PacketAuthenticator CreateAuthenticator(NodeKey key)
    {
        Span<byte> toAcceptor = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Span<byte> toOpener = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Derive(key.Secret, DirectionOpenerToAcceptor, _transcript!, toAcceptor);
        Derive(key.Secret, DirectionAcceptorToOpener, _transcript!, toOpener);
        var authenticator = _opener ? new PacketAuthenticator(toAcceptor, toOpener) : new PacketAuthenticator(toOpener, toAcceptor);
        CryptographicOperations.ZeroMemory(toAcceptor);
        CryptographicOperations.ZeroMemory(toOpener);
        return authenticator;
    }

    private static byte[] Transcript(ulong keyId, uint openerPnn, uint acceptorPnn, ReadOnlySpan<byte> openerNonce, ReadOnlySpan<byte> acceptorNonce)
    {
        // The role/direction byte goes in front at derivation time; the rest is fixed per connection.
        var t = new byte[1 + TranscriptSize];
        var span = t.AsSpan(1);
        s_label.CopyTo(span);
        int o = s_label.Length;
        BinaryPrimitives.WriteUInt64LittleEndian(span[o..], keyId);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(o + 8)..], openerPnn);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(o + 12)..], acceptorPnn);
        openerNonce.CopyTo(span[(o + 16)..]);
        acceptorNonce.CopyTo(span[(o + 16 + HandshakeMessage.NonceSize)..]);
        return t;
    }

    private static void Derive(byte[] secret, byte role, byte[] transcript, Span<byte> output)
    {
        transcript[0] = role;
        HMACSHA256.HashData(secret, transcript, output);
    }

    private static bool Verify(byte[] secret, byte role, byte[] transcript, ReadOnlySpan<byte> proof)
    {
        Span<byte> expected = stackalloc byte[HandshakeMessage.ProofSize];
        Derive(secret, role, transcript, expected);
        return CryptographicOperations.FixedTimeEquals(expected, proof);
    }
}
