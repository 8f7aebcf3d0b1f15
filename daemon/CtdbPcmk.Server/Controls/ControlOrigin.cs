// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Clients;

namespace CtdbPcmk.Server.Controls;

/// <summary>
/// Who asked for a control and where its reply goes: a local client, another node (the
/// control arrived over the node transport), or this daemon itself (<see cref="Local"/>).
/// </summary>
internal readonly record struct ControlOrigin(ClientConnection? Client, uint SrcNode, uint ReqId, Action<ControlReply>? Local = null)
{
    public bool IsRemote => Client is null && Local is null;
}
