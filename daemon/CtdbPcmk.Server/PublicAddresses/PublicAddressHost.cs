// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.PublicAddresses;

/// <summary>Sends a NOREPLY control to another node; nothing happens when there is no link to it.</summary>
internal delegate void PeerControlSender(uint pnn, ControlOpcode opcode, ReadOnlySpan<byte> data);

/// <summary>Delivers a message to this node's clients that registered <paramref name="srvid"/>.</summary>
internal delegate void LocalMessageSender(ulong srvid, ReadOnlySpan<byte> data);

/// <summary>
/// What the public address table needs from the daemon that owns it, and nothing more: this
/// node's number, the nodes it has links to, a way to send them controls and to deliver local
/// messages, and the event loop's timers (every call happens on the loop thread).
/// </summary>
internal sealed record PublicAddressHost(
    Func<uint> Pnn,
    Func<IReadOnlyList<uint>> ConnectedPeers,
    PeerControlSender SendControl,
    LocalMessageSender DeliverLocal,
    Func<TimeSpan, Action, LoopTimer> AddTimer,
    Serilog.ILogger Log);
