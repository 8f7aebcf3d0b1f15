// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Messaging;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// This node's part in leadership: the role an administrator gives or takes (Pacemaker
/// promote and demote), the terms it claims and accepts (<see cref="Leadership"/>), the
/// once-a-second LEADER announcement, and the checks that recovery controls come from the
/// leader of the accepted term. What the role means for recovery is the recovery master's.
/// </summary>
internal sealed class LeaderRole
{
    /// <summary>Refused claims tried again with a higher term before the role is given up.</summary>
    private const int ClaimAttempts = 3;

    private readonly ClusterState _cluster;
    private readonly NodeLinks _links;
    private readonly MessageRouter _messages;
    private readonly Serilog.ILogger _log;
    private readonly Leadership _leadership;
    private int _claimRetries;

    public LeaderRole(ClusterState cluster, NodeLinks links, MessageRouter messages, Serilog.ILogger log)
    {
        _cluster = cluster;
        _links = links;
        _messages = messages;
        _log = log;
        _leadership = new Leadership(cluster.Pnn);
        messages.RegisterInternal(Srvid.TakeoverRun, OnTakeoverRun);
    }

    /// <summary>This node took the role (a new term).</summary>
    public event Action? Taken;

    /// <summary>This node no longer acts as leader: it gave the role up, or another node took it.</summary>
    public event Action<string>? Lost;

    /// <summary>This node holds the role for the term it accepted.</summary>
    public bool IsLeader => _leadership.IsLeader;

    /// <summary>The term this node has accepted.</summary>
    public uint Term => _leadership.Term;

    /// <summary>Sets or clears the leader role of this node (promote / demote).</summary>
    public void Set(bool leader)
    {
        if (leader && _leadership.IsLeader)
        {
            // Pacemaker may promote again (after a failed monitor, a reprobe): the role is held
            // and the term stands, so there is nothing to claim and nothing to recover.
            _log.Information("This node ({Pnn}) already holds the leader role, term {Term}", _cluster.Pnn, _leadership.Term);
        }
        else if (leader)
        {
            uint term = _leadership.Take();
            _claimRetries = 0;
            SyncLeader();
            _log.Information("This node ({Pnn}) takes the leader role, term {Term}", _cluster.Pnn, term);
            Announce();
            _links.ProbePeers("the leader role was taken");
            Taken?.Invoke();
        }
        else if (_leadership.Wanted)
        {
            _leadership.Release();
            SyncLeader();
            Lost?.Invoke("leader role released");
            _log.Information("This node ({Pnn}) released the leader role", _cluster.Pnn);
        }
    }

    /// <summary>PCMK_SET_LEADER_ROLE from a local client: u32 1 takes the role, 0 releases it.</summary>
    public ControlReply SetRoleControl(ClientConnection? client, ReadOnlySpan<byte> data)
    {
        if (client is null)
        {
            return ControlReply.Failed("the leader role is set only by a local administrator");
        }
        uint take = ControlData.ReadU32(data);
        if (take > 1)
        {
            return ControlReply.Failed($"leader role must be 0 or 1, not {take}");
        }
        Set(take == 1);
        return ControlReply.Ok;
    }

    /// <summary>Every node accepted the claim of the current term.</summary>
    public void ClaimAccepted() => _claimRetries = 0;

    /// <summary>A node refused a claim: it knows <paramref name="term"/>, so the next claim goes above it.</summary>
    public void TermSeen(uint term) => _leadership.Seen(term);

    /// <summary>After refusals: claims a higher term (true) or, once too many were refused, gives the role up (false).</summary>
    public bool RetryClaim()
    {
        if (_claimRetries++ < ClaimAttempts)
        {
            _leadership.Raise();
            SyncLeader();
            return true;
        }
        _leadership.Release();
        SyncLeader();
        return false;
    }

    /// <summary>
    /// PCMK_CLAIM_LEADER from a node claiming the role for a term. Accepted: status 0 and
    /// <paramref name="recoveredEpoch"/>. Refused: status -1 and this node's term and leader.
    /// </summary>
    public ControlReply ClaimControl(ControlOrigin origin, ReadOnlySpan<byte> data, ulong recoveredEpoch)
    {
        if (origin.Client is not null || data.Length != 8)
        {
            return ControlReply.Failed("leader claims come only from nodes");
        }
        uint term = BinaryPrimitives.ReadUInt32LittleEndian(data);
        uint leader = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (leader != origin.SrcNode)
        {
            return ControlReply.Failed($"node {origin.SrcNode} claims for node {leader}");
        }
        bool wasLeader = _leadership.IsLeader;
        if (!_leadership.Consider(term, leader))
        {
            var refusal = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(refusal, _leadership.Term);
            BinaryPrimitives.WriteUInt32LittleEndian(refusal.AsSpan(4), _leadership.Leader);
            _log.Information("Refused leader claim of node {Leader} for term {Term}: term {Ours} of node {OurLeader} is accepted",
                leader, term, _leadership.Term, _leadership.Leader);
            return new ControlReply(-1, refusal, "a newer or equal term is accepted");
        }
        if (wasLeader && !_leadership.IsLeader)
        {
            _log.Warning("Node {Leader} took the leader role with term {Term}: this node steps down", leader, term);
            Lost?.Invoke("another node took the leader role");
        }
        SyncLeader();
        var reply = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(reply, recoveredEpoch);
        return ControlReply.WithData(reply);
    }

    /// <summary>
    /// Recovery controls are obeyed only when they come from the leader of the accepted term
    /// (and carry that term), never from a client: a node that lost the role cannot act.
    /// </summary>
    public bool FromLeader(ControlOrigin origin, ReqControl c, out ControlReply refusal)
    {
        if (origin.Client is null && _leadership.IsFromLeader(origin.SrcNode, c.Srvid))
        {
            refusal = default;
            return true;
        }
        _log.Warning("Refused {Opcode} from {Source}: not the leader of term {Term} (node {Leader})",
            c.Opcode, origin.Client is null ? $"node {origin.SrcNode}" : $"client {origin.Client.Id}", _leadership.Term, _leadership.Leader);
        refusal = ControlReply.Failed("not from the leader of the accepted term");
        return false;
    }

    /// <summary>True when a control tagged <paramref name="srvid"/> from <paramref name="srcNode"/> comes from the accepted leader in its term.</summary>
    public bool IsFromLeader(uint srcNode, ulong srvid) => _leadership.IsFromLeader(srcNode, srvid);

    /// <summary>Tells every node and local listener that this node leads (the ctdb tool's status waits for it).</summary>
    public void Announce()
    {
        Span<byte> payload = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(payload, _cluster.Pnn);
        _messages.Send(WireFormat.BroadcastConnected, Srvid.Leader, payload);
    }

    /// <summary>Mirrors the leadership into the cluster view (what LEADER messages and status report).</summary>
    private void SyncLeader()
    {
        uint leader = _leadership.Leader;
        _cluster.SetLeader(leader == _cluster.Pnn && !_leadership.IsLeader ? WireFormat.UnknownPnn : leader);
    }

    /// <summary>
    /// TAKEOVER_RUN from the ctdb tool (after disable, stop, ban …): public addresses belong to
    /// Pacemaker, so the leader has nothing to move and answers success at once.
    /// </summary>
    private void OnTakeoverRun(ReadOnlySpan<byte> data)
    {
        if (!_leadership.IsLeader || data.Length < 16)
        {
            return;
        }
        uint pnn = BinaryPrimitives.ReadUInt32LittleEndian(data);
        ulong srvid = BinaryPrimitives.ReadUInt64LittleEndian(data[8..]);
        if (srvid == 0)
        {
            return;
        }
        Span<byte> status = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(status, 0);
        _messages.Send(pnn, srvid, status);
    }
}
