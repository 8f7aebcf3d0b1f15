// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    private const string RecoveryEpochFile = "recovery-epoch";

    private readonly Leadership _leadership;
    private int _claimRetries;
    /// <summary>Epoch of the last recovery this node completed (kept in the state directory).</summary>
    private ulong _recoveredEpoch;
    /// <summary>Epoch announced by START_RECOVERY; becomes <see cref="_recoveredEpoch"/> at END_RECOVERY.</summary>
    private ulong _pendingEpoch;
    /// <summary>Generation of the last completed recovery on this node.</summary>
    private uint _recoveredGeneration;

    /// <summary>Recently accepted recovery steps (generation, leader, term), newest last; for diagnostics and tests.</summary>
    internal List<(uint Generation, uint Leader, uint Term)> AcceptedVnnMaps { get; } = new();

    internal uint AcceptedTerm => _leadership.Term;

    /// <summary>
    /// PCMK_CLAIM_LEADER from a node claiming the role for a term. Accepted: status 0 and this
    /// node's recovery epoch. Refused: status -1 and this node's term and leader.
    /// </summary>
    private ControlReply ClaimLeader(ClientConnection? client, ReadOnlySpan<byte> data)
    {
        if (client is not null || data.Length != 8)
        {
            return ControlReply.Failed("leader claims come only from nodes");
        }
        uint term = BinaryPrimitives.ReadUInt32LittleEndian(data);
        uint leader = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
        if (leader != CurrentOrigin.SrcNode)
        {
            return ControlReply.Failed($"node {CurrentOrigin.SrcNode} claims for node {leader}");
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
            AbortRecovery("another node took the leader role");
        }
        SyncLeader();
        var reply = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(reply, _recoveredEpoch);
        return ControlReply.WithData(reply);
    }

    /// <summary>
    /// Recovery controls are obeyed only when they come from the leader of the accepted term
    /// (and carry that term), never from a client: a node that lost the role cannot act.
    /// </summary>
    private bool FromLeader(ClientConnection? client, ReqControl c, out ControlReply refusal)
    {
        if (client is null && _leadership.IsFromLeader(CurrentOrigin.SrcNode, c.Srvid))
        {
            refusal = default;
            return true;
        }
        _log.Warning("Refused {Opcode} from {Source}: not the leader of term {Term} (node {Leader})",
            c.Opcode, client is null ? $"node {CurrentOrigin.SrcNode}" : $"client {client.Id}", _leadership.Term, _leadership.Leader);
        refusal = ControlReply.Failed("not from the leader of the accepted term");
        return false;
    }

    private ulong LoadRecoveredEpoch()
    {
        try
        {
            var bytes = File.ReadAllBytes(Path.Combine(_options.StateDirectory, RecoveryEpochFile));
            return bytes.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(bytes) : 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private void SaveRecoveredEpoch()
    {
        try
        {
            Directory.CreateDirectory(_options.StateDirectory);
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, _recoveredEpoch);
            string path = Path.Combine(_options.StateDirectory, RecoveryEpochFile);
            File.WriteAllBytes(path + ".new", bytes);
            File.Move(path + ".new", path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("Cannot record the recovery epoch: {Error}", e.Message);
        }
    }
}
