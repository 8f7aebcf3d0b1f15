// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server;

/// <summary>
/// Everything the daemon needs to start, as read from the configuration file, the nodes file
/// and the command line by the host executable.
/// </summary>
public sealed record DaemonOptions
{
    /// <summary>Unix socket clients (smbd, the ctdb tool) connect to.</summary>
    public required string SocketPath { get; init; }
    /// <summary>Node addresses in PNN order; null entries are deleted nodes (commented-out lines).</summary>
    public required IReadOnlyList<System.Net.IPAddress?> Nodes { get; init; }
    /// <summary>This node's PNN: the index of its address in <see cref="Nodes"/>.</summary>
    public required uint Pnn { get; init; }
    /// <summary>TCP port of the node transport (4379 by default); 0 opens no node links (hosts that inject their own).</summary>
    public int NodePort { get; init; } = 4379;
    public required string VolatileDirectory { get; init; }
    public required string PersistentDirectory { get; init; }
    public required string StateDirectory { get; init; }
    /// <summary>Use robust-mutex chain locks in volatile TDBs (ctdb.conf "tdb mutexes").</summary>
    public bool TdbMutexes { get; init; } = true;
    /// <summary>Tunable values set in the configuration, by name.</summary>
    public IReadOnlyDictionary<string, uint> Tunables { get; init; } = new Dictionary<string, uint>();
    /// <summary>What one client may take of the daemon (ctdb.conf [limits]).</summary>
    public Clients.ClientLimits Limits { get; init; } = new();
    /// <summary>
    /// ctdb.conf "node key file": with it every node link is authenticated (handshake and a MAC
    /// on each packet); null keeps the links as CTDB's, unauthenticated.
    /// </summary>
    public string? NodeKeyFile { get; init; }
    /// <summary>Make this node the leader at start (single-node use and tests without Pacemaker).</summary>
    public bool StartAsLeader { get; init; }
}
