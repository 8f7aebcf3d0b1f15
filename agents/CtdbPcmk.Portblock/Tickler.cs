// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using CtdbPcmk.Linux;
using CtdbPcmk.Packets;

namespace CtdbPcmk.Portblock;

/// <summary>
/// Sends tickle ACKs from the server end to each recorded client, in rounds. Linux answers an
/// out-of-window segment at most once per tcp_invalid_ratelimit (500 ms) per socket, so rounds
/// closer together than that would be swallowed: the rounds are spaced just above it and only
/// repeat a tickle whose answer may have been lost.
/// </summary>
internal static class Tickler
{
    public const int Rounds = 3;
    public static readonly TimeSpan RoundInterval = TimeSpan.FromMilliseconds(510);

    /// <summary>
    /// The IPv4 identification of a tickle: never zero (the kernel would replace it), and
    /// predictable so a capture can be compared with the built packet byte for byte.
    /// </summary>
    public static ushort Identification(int round, int index) =>
        (ushort)(0xC000 | ((round & 0x3) << 12) | (index & 0xFFF));

    /// <summary>
    /// Sends all rounds; returns the number of packets sent and the errors (one per failed send).
    /// <paramref name="beforeRound"/> runs before each round's tickles (e.g. a neighbour
    /// announcement), <paramref name="afterRound"/> after them.
    /// </summary>
    public static (int Sent, List<string> Errors) Send(IReadOnlyList<TcpConnection> connections, Action<TimeSpan> sleep, Action<int>? beforeRound = null, Action<int>? afterRound = null)
    {
        var errors = new List<string>();
        var sent = 0;
        if (connections.Count == 0)
        {
            return (0, errors);
        }

        using var sender = new RawIpSender();
        Span<byte> packet = stackalloc byte[TcpTickle.IPv6PacketLength];
        for (var round = 0; round < Rounds; round++)
        {
            if (round > 0)
            {
                sleep(RoundInterval);
            }

            beforeRound?.Invoke(round);
            for (var i = 0; i < connections.Count; i++)
            {
                var c = connections[i];
                var length = TcpTickle.Write(packet, c.Server, c.Client, TcpControlBits.Ack, 0, 0, Identification(round, i));
                try
                {
                    // ScopeId exists only for IPv6 (it throws for IPv4); link-local clients need it.
                    sender.Send(packet[..length], c.Client.AddressFamily == AddressFamily.InterNetworkV6 ? (uint)c.Client.Address.ScopeId : 0);
                    sent++;
                }
                catch (ErrnoException e)
                {
                    errors.Add($"tickle {c.Server} -> {c.Client}: {e.Message}");
                }
            }

            afterRound?.Invoke(round);
        }

        return (sent, errors);
    }
}
