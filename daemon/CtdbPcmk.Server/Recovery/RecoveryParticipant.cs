// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Databases;
using CtdbPcmk.Server.Statistics;

namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// This node's side of every recovery (ctdb-protocol §3.5, §5.6): the leader's claim, recovery
/// mode, the vnn map, START/END_RECOVERY and the recovery epoch kept in the state directory.
/// The databases' side is <see cref="DatabaseFreezer"/>.
/// </summary>
internal sealed class RecoveryParticipant
{
    private const string RecoveryEpochFile = "recovery-epoch";

    private readonly ClusterState _cluster;
    private readonly LeaderRole _leader;
    private readonly RecoveryMaster _master;
    private readonly DatabaseRegistry _databases;
    private readonly DatabaseFreezer _freezer;
    private readonly PersistentCommits _commits;
    private readonly NodeLinks _links;
    private readonly DaemonStatistics _statistics;
    private readonly string _stateDirectory;
    private readonly Serilog.ILogger _log;
    /// <summary>Epoch of the last recovery this node completed (kept in the state directory).</summary>
    private ulong _recoveredEpoch;
    /// <summary>Epoch announced by START_RECOVERY; becomes <see cref="_recoveredEpoch"/> at END_RECOVERY.</summary>
    private ulong _pendingEpoch;

    public RecoveryParticipant(ClusterState cluster, LeaderRole leader, RecoveryMaster master, DatabaseRegistry databases,
        DatabaseFreezer freezer, PersistentCommits commits, NodeLinks links, DaemonStatistics statistics,
        string stateDirectory, Serilog.ILogger log)
    {
        _cluster = cluster;
        _leader = leader;
        _master = master;
        _databases = databases;
        _freezer = freezer;
        _commits = commits;
        _links = links;
        _statistics = statistics;
        _stateDirectory = stateDirectory;
        _log = log;
        _recoveredEpoch = LoadRecoveredEpoch();
    }

    /// <summary>A vnn map from the leader was accepted: its generation, the leader and the term.</summary>
    public event Action<uint, uint, uint>? VnnMapAccepted;

    /// <summary>PCMK_CLAIM_LEADER: answered with this node's recovery epoch when accepted.</summary>
    public ControlReply ClaimLeader(ControlOrigin origin, ReadOnlySpan<byte> data) =>
        _leader.ClaimControl(origin, data, _recoveredEpoch);

    /// <summary>
    /// SET_RECMODE. ACTIVE from anyone (the ctdb tool's `recover` asks for a recovery this way);
    /// NORMAL only from the leader, and only once every database is at the current generation.
    /// </summary>
    public ControlReply SetRecMode(ControlOrigin origin, ReqControl c)
    {
        uint mode = ControlData.ReadU32(c.Data);
        if (mode == (uint)RecoveryMode.Active)
        {
            bool fromLeader = origin.Client is null && _leader.IsFromLeader(origin.SrcNode, c.Srvid);
            if (_cluster.RecoveryMode != RecoveryMode.Active)
            {
                _cluster.SetRecoveryMode(RecoveryMode.Active);
                _log.Information("Recovery mode ACTIVE (set by {Source})", fromLeader ? "the leader" : "request");
            }
            if (!fromLeader)
            {
                _master.AskLeader();
            }
            return ControlReply.Ok;
        }
        if (mode != (uint)RecoveryMode.Normal)
        {
            return ControlReply.Failed($"recovery mode must be 0 or 1, not {mode}");
        }
        if (!_leader.FromLeader(origin, c, out var refusal))
        {
            return refusal;
        }
        foreach (var db in _databases.All)
        {
            if (db.Generation != _cluster.Generation)
            {
                return ControlReply.Failed($"database {db.Name} is at generation {db.Generation}, not {_cluster.Generation}");
            }
        }
        _freezer.ThawAll();
        _cluster.SetRecoveryMode(RecoveryMode.Normal);
        return ControlReply.Ok;
    }

    public ControlReply SetVnnMap(ControlOrigin origin, ReqControl c)
    {
        if (!_leader.FromLeader(origin, c, out var refusal))
        {
            return refusal;
        }
        if (_cluster.RecoveryMode != RecoveryMode.Active)
        {
            return ControlReply.Failed("SETVNNMAP needs recovery mode ACTIVE");
        }
        var map = VnnMap.Read(c.Data);
        if (map.Map.Count == 0 || map.Generation == WireFormat.InvalidGeneration || map.Map.Any(p => !_cluster.IsValidNode(p)))
        {
            return ControlReply.Failed("invalid vnn map");
        }
        _cluster.AdoptVnnMap(map);
        _log.Debug("Vnn map of generation {Generation} from node {Leader}, term {Term}", map.Generation, origin.SrcNode, _leader.Term);
        VnnMapAccepted?.Invoke(map.Generation, origin.SrcNode, _leader.Term);
        return ControlReply.Ok;
    }

    /// <summary>START_RECOVERY; this product's leader adds the u64 epoch of the recovery.</summary>
    public ControlReply StartRecovery(ControlOrigin origin, ReqControl c)
    {
        if (!_leader.FromLeader(origin, c, out var refusal))
        {
            return refusal;
        }
        _pendingEpoch = c.Data.Length == 8 ? BinaryPrimitives.ReadUInt64LittleEndian(c.Data) : 0;
        _statistics.RecoveryStarted();
        return ControlReply.Ok;
    }

    /// <summary>END_RECOVERY: the recovery is complete on this node; interrupted commits are answered with status 2.</summary>
    public ControlReply EndRecovery(ControlOrigin origin, ReqControl c)
    {
        if (!_leader.FromLeader(origin, c, out var refusal))
        {
            return refusal;
        }
        _statistics.RecoveryFinished();
        _cluster.MarkRecovered();
        if (_pendingEpoch > _recoveredEpoch)
        {
            _recoveredEpoch = _pendingEpoch;
            SaveRecoveredEpoch();
        }
        _commits.FinishAfterRecovery();
        return ControlReply.Ok;
    }

    /// <summary>
    /// PCMK_RECHECK from a local client (the agent's notify: Pacemaker saw membership change) or
    /// another node: links to nodes that died silently are checked, and the leader checks the
    /// cluster now.
    /// </summary>
    public ControlReply Recheck(ControlOrigin origin)
    {
        if (origin.Client is not null)
        {
            _links.ProbePeers("a membership change reported by the cluster manager");
        }
        if (_leader.IsLeader)
        {
            _master.CheckCluster();
        }
        return ControlReply.Ok;
    }

    /// <summary>PCMK_GET_LEADER_STATE: what the daemon's agent reports to Pacemaker.</summary>
    public ControlReply LeaderStateReply(bool startedAsLeader)
    {
        var state = new Protocol.LeaderState(_cluster.Pnn, _cluster.Leader, _leader.Term, _cluster.Generation,
            _cluster.RecoveryMode, _cluster.FlagsOf(_cluster.Pnn), _master.IsRecovered(startedAsLeader) ? 1u : 0u);
        var data = new byte[Protocol.LeaderState.Size];
        state.Write(data);
        return ControlReply.WithData(data);
    }

    private ulong LoadRecoveredEpoch()
    {
        try
        {
            var bytes = File.ReadAllBytes(Path.Combine(_stateDirectory, RecoveryEpochFile));
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
            Directory.CreateDirectory(_stateDirectory);
            var bytes = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, _recoveredEpoch);
            string path = Path.Combine(_stateDirectory, RecoveryEpochFile);
            File.WriteAllBytes(path + ".new", bytes);
            File.Move(path + ".new", path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("Cannot record the recovery epoch: {Error}", e.Message);
        }
    }
}
