// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Client;

/// <summary>A REQ_MESSAGE the daemon delivered to this connection.</summary>
/// <param name="Srvid">Service id the message was addressed to.</param>
/// <param name="SrcNode">PNN in the header; the daemon puts its own PNN here, not the sender's.</param>
/// <param name="Data">Message payload, sized by its datalen field.</param>
public sealed record CtdbMessage(ulong Srvid, uint SrcNode, byte[] Data);
