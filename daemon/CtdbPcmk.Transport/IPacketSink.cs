// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>Receives whole packets from a <see cref="PacketConnection"/>.</summary>
internal interface IPacketSink
{
    /// <summary>
    /// One complete packet, exactly as long as its length field says. The span is only valid
    /// during the call. A <see cref="CtdbPcmk.Protocol.ProtocolException"/> thrown here closes
    /// this connection only.
    /// </summary>
    void OnPacket(PacketConnection connection, ReadOnlySpan<byte> packet);

    /// <summary>
    /// The peer does not read: <paramref name="queued"/> bytes wait for it, so its input is not
    /// read until half of the pause limit has left (<see cref="OutputLimits"/>).
    /// </summary>
    void OnPaused(PacketConnection connection, long queued)
    {
    }

    /// <summary>The connection is closed; <paramref name="reason"/> is null for an orderly close by the peer.</summary>
    void OnClosed(PacketConnection connection, string? reason);
}
