// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>What one handshake message led to: a reply to send, the finished link's authenticator, or a failure (with perhaps a Refusal to send first).</summary>
internal readonly record struct HandshakeStep(byte[]? Reply, PacketAuthenticator? Authenticator, string? Failure)
{
    public static HandshakeStep Fail(string why) => new(null, null, why);

    public static HandshakeStep Refuse(HandshakeRefusal reason, string why)
    {
        var refusal = new byte[HandshakeMessage.RefusalSize];
        HandshakeMessage.WriteRefusal(refusal, reason);
        return new HandshakeStep(refusal, null, why);
    }
}
