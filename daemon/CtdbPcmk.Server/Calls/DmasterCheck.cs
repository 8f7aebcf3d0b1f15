// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Calls;

/// <summary>The lmaster's verdict on a REQ_DMASTER.</summary>
internal enum DmasterCheck
{
    Accept,

    /// <summary>This node is not the key's lmaster: the sender's vnn map differs from ours.</summary>
    NotLmaster,

    /// <summary>The sender is not the dmaster the lmaster recorded: the cluster needs a recovery.</summary>
    NotDmaster,
}
