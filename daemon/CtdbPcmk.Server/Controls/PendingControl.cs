// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Controls;

/// <summary>A client control answered asynchronously (deferred attach, TRANS3_COMMIT).</summary>
internal sealed record PendingControl(Clients.ClientConnection Client, uint ReqId, Protocol.ControlOpcode Opcode, bool NoReply);
