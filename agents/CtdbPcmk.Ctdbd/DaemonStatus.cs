// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Ctdbd;

/// <summary>What the daemon reports about the local node: run state and leader view.</summary>
internal sealed record DaemonStatus(DaemonState State, RunState RunState, LeaderState Leader, string? Error)
{
    /// <summary>Flags that keep a node from taking part in the cluster or hosting addresses.</summary>
    public const uint BadFlags = NodeFlags.Banned | NodeFlags.Stopped | NodeFlags.Unhealthy;

    public bool IsAnswering => State == DaemonState.Answering;

    /// <summary>Running and serving (RUNNING, not banned, stopped or unhealthy).</summary>
    public bool IsHealthy => IsAnswering && RunState == RunState.Running && (Leader.NodeFlags & BadFlags) == 0;

    /// <summary>Up, before its first recovery, and no leader known: it waits for Pacemaker to promote one.</summary>
    public bool IsWaitingForLeader => IsAnswering && RunState is RunState.FirstRecovery or RunState.Startup
        && Leader.Leader == WireFormat.UnknownPnn;

    public bool IsLeader => IsAnswering && Leader.IsLeader;

    /// <summary>Asks the daemon at <paramref name="socket"/>; never throws for an absent or failing daemon.</summary>
    public static DaemonStatus Query(string socket, TimeSpan timeout)
    {
        if (!File.Exists(socket))
        {
            return new DaemonStatus(DaemonState.Absent, RunState.Unknown, default, $"socket {socket} does not exist");
        }
        CtdbClient client;
        try
        {
            client = CtdbClient.Connect(socket);
        }
        catch (CtdbConnectionException e)
        {
            return new DaemonStatus(DaemonState.Absent, RunState.Unknown, default, e.Message);
        }
        using (client)
        {
            client.Timeout = timeout;
            try
            {
                var runState = client.GetRunState();
                var leader = client.GetLeaderState();
                return new DaemonStatus(DaemonState.Answering, runState, leader, null);
            }
            catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException)
            {
                return new DaemonStatus(DaemonState.NotAnswering, RunState.Unknown, default, e.Message);
            }
        }
    }

    /// <summary>One line for logs and exit reasons.</summary>
    public string Describe() => State switch
    {
        DaemonState.Answering => $"runstate {RunState}, PNN {Leader.Pnn}, leader {DescribeLeader(Leader.Leader)}, flags 0x{Leader.NodeFlags:x}",
        _ => Error ?? State.ToString(),
    };

    private static string DescribeLeader(uint pnn) => pnn == WireFormat.UnknownPnn ? "unknown" : pnn.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
