// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Transport.NodeAuth;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>The node link handshake and the packet MAC, side against side, with altered and replayed bytes.</summary>
public sealed class NodeLinkHandshakeTests
{
    private static NodeKey Key(byte fill, string label = "k") => new(label, Enumerable.Repeat(fill, 32).ToArray());

    private static NodeKeySet Keys(params NodeKey[] keys) => new(keys);

    /// <summary>Runs a whole handshake: opener node 0 to acceptor node 1; returns both authenticators.</summary>
    private static (PacketAuthenticator Opener, PacketAuthenticator Acceptor) Connect(NodeKeySet openerKeys, NodeKeySet acceptorKeys)
    {
        var opener = LinkHandshake.Opener(openerKeys, 0, 1, out var hello);
        var acceptor = LinkHandshake.Acceptor(acceptorKeys, 1, 0);
        var challenge = acceptor.Receive(hello);
        Assert.Null(challenge.Failure);
        var proof = opener.Receive(challenge.Reply!);
        Assert.Null(proof.Failure);
        var done = acceptor.Receive(proof.Reply!);
        Assert.Null(done.Failure);
        Assert.Null(done.Reply);
        Assert.True(opener.IsDone && acceptor.IsDone);
        return (proof.Authenticator!, done.Authenticator!);
    }

    private static byte[] Packet(uint reqId, int length = 48)
    {
        var p = new byte[length];
        new PacketHeader((uint)length, 7, Operation.ReqMessage, 1, 0, reqId).Write(p);
        p.AsSpan(32).Fill((byte)reqId);
        return p;
    }

    private static byte[] Seal(PacketAuthenticator a, byte[] packet)
    {
        var frame = new byte[packet.Length + a.Overhead];
        a.Seal(packet, frame);
        return frame;
    }

    [Fact]
    public void Both_sides_agree_and_packets_pass_in_both_directions_unchanged()
    {
        var keys = Keys(Key(1));
        var (opener, acceptor) = Connect(keys, keys);
        for (uint i = 0; i < 3; i++)
        {
            var packet = Packet(i, 32 + 8 * (int)i);
            var frame = Seal(opener, packet);
            Assert.Equal(packet.Length + PacketAuthenticator.FrameOverhead, frame.Length);
            Assert.Equal((uint)frame.Length, BinaryPrimitives.ReadUInt32LittleEndian(frame));
            // The CTDB packet travels unchanged inside the frame.
            Assert.Equal(packet, frame.AsSpan(4, packet.Length).ToArray());
            Assert.Equal(packet, acceptor.Open(frame).ToArray());
        }
        var back = Packet(9);
        Assert.Equal(back, opener.Open(Seal(acceptor, back)).ToArray());
    }

    [Fact]
    public void Every_altered_byte_of_a_frame_is_refused()
    {
        var keys = Keys(Key(1));
        var packet = Packet(5, 64);
        for (int i = 0; i < packet.Length + PacketAuthenticator.FrameOverhead; i++)
        {
            var (opener, acceptor) = Connect(keys, keys);
            var frame = Seal(opener, packet);
            frame[i] ^= 0x01;
            Assert.Throws<ProtocolException>(() => acceptor.Open(frame).ToArray());
        }
    }

    [Fact]
    public void A_frame_replayed_reordered_or_moved_to_another_connection_is_refused()
    {
        var keys = Keys(Key(1));
        var (opener, acceptor) = Connect(keys, keys);
        var first = Seal(opener, Packet(1));
        var second = Seal(opener, Packet(2));
        // Out of order: the second first.
        Assert.Throws<ProtocolException>(() => acceptor.Open(second).ToArray());

        (opener, acceptor) = Connect(keys, keys);
        first = Seal(opener, Packet(1));
        second = Seal(opener, Packet(2));
        acceptor.Open(first);
        // The same frame again.
        Assert.Throws<ProtocolException>(() => acceptor.Open(first).ToArray());

        // A new connection with the same key: different nonces, different keys.
        var (_, other) = Connect(keys, keys);
        Assert.Throws<ProtocolException>(() => other.Open(first).ToArray());

        // A frame sent by the acceptor does not pass as the opener's (keys per direction).
        (opener, acceptor) = Connect(keys, keys);
        var fromAcceptor = Seal(acceptor, Packet(3));
        Assert.Throws<ProtocolException>(() => acceptor.Open(fromAcceptor).ToArray());
    }

    [Fact]
    public void A_handshake_replayed_onto_a_new_connection_fails_at_the_proof()
    {
        var keys = Keys(Key(1));
        var opener = LinkHandshake.Opener(keys, 0, 1, out var hello);
        var acceptor = LinkHandshake.Acceptor(keys, 1, 0);
        var proof = opener.Receive(acceptor.Receive(hello).Reply!).Reply!;

        // The captured Hello and Proof, sent again: the new acceptor's nonce makes the proof stale.
        var again = LinkHandshake.Acceptor(keys, 1, 0);
        Assert.Null(again.Receive(hello).Failure);
        var step = again.Receive(proof);
        Assert.NotNull(step.Failure);
        Assert.Null(step.Authenticator);
        Assert.Equal(HandshakeType.Refusal, HandshakeMessage.Read(step.Reply, out var body));
        Assert.Equal(HandshakeRefusal.BadProof, HandshakeMessage.ReadRefusal(body));
    }

    [Fact]
    public void A_different_key_is_refused_by_id_and_a_forged_proof_by_the_mac()
    {
        var opener = LinkHandshake.Opener(Keys(Key(1)), 0, 1, out var hello);
        var step = LinkHandshake.Acceptor(Keys(Key(2)), 1, 0).Receive(hello);
        Assert.Contains("not one of ours", step.Failure, StringComparison.Ordinal);
        Assert.Equal(HandshakeType.Refusal, HandshakeMessage.Read(step.Reply, out var body));
        Assert.Equal(HandshakeRefusal.UnknownKey, HandshakeMessage.ReadRefusal(body));
        // The opener logs why it was refused.
        Assert.Contains("does not have our node key", opener.Receive(step.Reply).Failure, StringComparison.Ordinal);

        // An acceptor without the key cannot fake the challenge: the opener refuses its proof.
        var keys = Keys(Key(1));
        opener = LinkHandshake.Opener(keys, 0, 1, out hello);
        var challenge = LinkHandshake.Acceptor(keys, 1, 0).Receive(hello).Reply!;
        challenge[^1] ^= 0x80;
        var refused = opener.Receive(challenge);
        Assert.Contains("did not verify", refused.Failure, StringComparison.Ordinal);
        Assert.Null(refused.Authenticator);
    }

    [Fact]
    public void Node_numbers_that_do_not_match_the_connection_are_refused()
    {
        var keys = Keys(Key(1));
        // Opener claims to be node 2, but the connection came from node 0's address.
        LinkHandshake.Opener(keys, 2, 1, out var hello);
        var step = LinkHandshake.Acceptor(keys, 1, 0).Receive(hello);
        Assert.Contains("claims to be node 2", step.Failure, StringComparison.Ordinal);
        // Meant for node 2, arrived at node 1.
        LinkHandshake.Opener(keys, 0, 2, out hello);
        Assert.NotNull(LinkHandshake.Acceptor(keys, 1, 0).Receive(hello).Failure);
    }

    [Fact]
    public void During_a_roll_either_key_is_accepted_and_each_side_proves_with_the_openers_first_key()
    {
        var oldKey = Key(1, "old");
        var newKey = Key(2, "new");
        // Opener moved the new key first; acceptor still has the old one first.
        var (o, a) = Connect(Keys(newKey, oldKey), Keys(oldKey, newKey));
        Assert.Equal(Packet(1), a.Open(Seal(o, Packet(1))).ToArray());
        // Opener not yet moved; acceptor has only the new one: refused.
        var opener = LinkHandshake.Opener(Keys(oldKey, newKey), 0, 1, out var hello);
        Assert.NotNull(LinkHandshake.Acceptor(Keys(newKey), 1, 0).Receive(hello).Failure);
        _ = opener;
    }

    [Fact]
    public void Malformed_or_out_of_turn_messages_throw_and_a_ctdb_packet_says_the_peer_has_no_key()
    {
        var keys = Keys(Key(1));
        var e = Assert.Throws<ProtocolException>(() => LinkHandshake.Acceptor(keys, 1, 0).Receive(Packet(1)));
        Assert.Contains("no node key", e.Message, StringComparison.Ordinal);
        LinkHandshake.Opener(keys, 0, 1, out var hello);
        Assert.Throws<ProtocolException>(() => LinkHandshake.Opener(keys, 0, 1, out _).Receive(hello));
        Assert.Throws<ProtocolException>(() => LinkHandshake.Acceptor(keys, 1, 0).Receive(hello.AsSpan(0, 40)));
        var badVersion = (byte[])hello.Clone();
        badVersion[8] = 2;
        Assert.Throws<ProtocolException>(() => LinkHandshake.Acceptor(keys, 1, 0).Receive(badVersion));
        // After the Hello, another Hello is out of turn.
        var acceptor = LinkHandshake.Acceptor(keys, 1, 0);
        acceptor.Receive(hello);
        Assert.Throws<ProtocolException>(() => acceptor.Receive(hello));
    }

    [Fact]
    public void A_frame_whose_packet_length_disagrees_with_the_frame_is_refused()
    {
        var keys = Keys(Key(1));
        var (opener, acceptor) = Connect(keys, keys);
        var packet = Packet(1, 48);
        BinaryPrimitives.WriteUInt32LittleEndian(packet, 40);
        Assert.Throws<ProtocolException>(() => acceptor.Open(Seal(opener, packet)).ToArray());
        Assert.Throws<ProtocolException>(() => acceptor.Open(new byte[30]).ToArray());
    }

    [Fact]
    public void Sealing_and_opening_allocate_nothing_per_packet()
    {
        var keys = Keys(Key(1));
        var (opener, acceptor) = Connect(keys, keys);
        var packet = Packet(1, 128);
        var frame = new byte[packet.Length + PacketAuthenticator.FrameOverhead];
        opener.Seal(packet, frame);
        acceptor.Open(frame);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            opener.Seal(packet, frame);
            acceptor.Open(frame);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1001ul, acceptor.Received);
    }
}
