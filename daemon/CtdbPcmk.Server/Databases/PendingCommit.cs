// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Databases;

/// <summary>A client's TRANS3_COMMIT waiting for the UPDATE_RECORD replies of every active node.</summary>
internal sealed class PendingCommit(ControlOrigin origin, uint dbId, uint clientId, int clientPid, int waiting)
{
    public ControlOrigin Origin { get; } = origin;
    public uint DbId { get; } = dbId;
    public uint ClientId { get; } = clientId;
    /// <summary>The committing process: it counts as alive until the commit is settled.</summary>
    public int ClientPid { get; } = clientPid;
    public int Waiting { get; set; } = waiting;
    /// <summary>A node failed to apply it: a recovery finishes the job and answers.</summary>
    public bool Failed { get; set; }
    public bool Answered { get; set; }
    public LoopTimer? Timeout { get; set; }
}
