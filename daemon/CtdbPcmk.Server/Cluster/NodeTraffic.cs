// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server.Cluster;

/// <summary>Runs one control on this node for <paramref name="origin"/> (deferred replies go through the origin).</summary>
internal delegate ControlReply ControlRunner(ControlOrigin origin, ReqControl control);

/// <summary>Handles a call-family packet (REQ_CALL, REPLY_CALL, REQ/REPLY_DMASTER, REPLY_ERROR) from another node.</summary>
internal delegate void NodeCallHandler(uint from, PacketHeader header, ReadOnlySpan<byte> packet);

/// <summary>Delivers a message to this node's registrants of <paramref name="srvid"/>.</summary>
internal delegate void MessageDelivery(ulong srvid, ReadOnlySpan<byte> data);

/// <summary>Where <see cref="NodeLinks"/> hands what arrives from other nodes; set once by the daemon.</summary>
internal sealed record NodeTraffic(ControlRunner RunControl, MessageDelivery DeliverMessage,
    NodeCallHandler OnCallPacket);
