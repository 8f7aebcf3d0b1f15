// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Calls;

/// <summary>What a node does with a call for a record, decided by <see cref="CallRouter"/>.</summary>
internal enum CallAction
{
    /// <summary>This node is dmaster and the call is its own: run it here and answer.</summary>
    RunLocal,

    /// <summary>Send a node REQ_CALL (hopcount 0) to the record's dmaster as this node knows it.</summary>
    Forward,

    /// <summary>Not dmaster: pass the node REQ_CALL on (hopcount + 1) towards the dmaster.</summary>
    Redirect,

    /// <summary>Dmaster and lmaster: hand the record to the requester with REPLY_DMASTER.</summary>
    MigrateByReply,

    /// <summary>Dmaster but not lmaster: send REQ_DMASTER to the lmaster, which tells the requester.</summary>
    MigrateByRequest,
}
