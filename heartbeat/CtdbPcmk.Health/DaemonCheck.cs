// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Health;

/// <summary>
/// The daemon's view of this node: red when its socket does not answer, or when the node is
/// banned, stopped, unhealthy or disabled (it must not host addresses); yellow while it is still
/// starting up (not RUNNING yet).
/// </summary>
public static class DaemonCheck
{
    /// <summary>Asks the daemon at <paramref name="socket"/>.</summary>
    public static HealthResult Run(string socket, TimeSpan timeout)
    {
        if (!File.Exists(socket))
        {
            return HealthResult.Of(HealthColor.Red, $"daemon not running (no socket {socket})");
        }
        try
        {
            using var client = CtdbClient.Connect(socket);
            client.Timeout = timeout;
            var runState = client.GetRunState();
            var state = client.GetLeaderState();
            return Evaluate(runState, state.NodeFlags);
        }
        catch (CtdbConnectionException)
        {
            return HealthResult.Of(HealthColor.Red, $"daemon not running (socket {socket} refuses connections)");
        }
        catch (Exception e) when (e is CtdbControlException or TimeoutException)
        {
            return HealthResult.Of(HealthColor.Red, $"daemon does not answer on {socket}");
        }
    }

    /// <summary>The colour of a node in <paramref name="runState"/> with <paramref name="flags"/>.</summary>
    public static HealthResult Evaluate(RunState runState, uint flags)
    {
        var problems = new List<string>();
        if ((flags & NodeFlags.Banned) != 0)
        {
            problems.Add("BANNED");
        }
        if ((flags & NodeFlags.Stopped) != 0)
        {
            problems.Add("STOPPED");
        }
        if ((flags & NodeFlags.Unhealthy) != 0)
        {
            problems.Add("UNHEALTHY");
        }
        if ((flags & NodeFlags.PermanentlyDisabled) != 0)
        {
            problems.Add("DISABLED");
        }
        if (problems.Count > 0)
        {
            return HealthResult.Of(HealthColor.Red, $"daemon reports this node {string.Join('|', problems)}");
        }
        if (runState == RunState.Shutdown)
        {
            return HealthResult.Of(HealthColor.Red, "daemon is shutting down");
        }
        if (runState != RunState.Running)
        {
            return HealthResult.Of(HealthColor.Yellow, $"daemon is not running yet (runstate {runState})");
        }
        return HealthResult.Green;
    }
}
