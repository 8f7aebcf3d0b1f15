// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>The operation field of every packet (enum ctdb_operation, protocol.h).</summary>
public enum Operation : uint
{
    ReqCall = 0,
    ReplyCall = 1,
    ReqDmaster = 2,
    ReplyDmaster = 3,
    ReplyError = 4,
    ReqMessage = 5,
    ReqControl = 7,
    ReplyControl = 8,
    ReqKeepalive = 9,
    ReqTunnel = 10,
}
