// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Samba;

/// <summary>
/// smbd answers a new connection only after reading its clustered databases, so while the
/// cluster database does not serve (a recovery due or running: a node of the generation lost
/// or hung, no leader yet) every smbd of the cluster stops answering NEGOTIATE at once.
/// Restarting them would not help and would drop every client of every node. The monitor waits
/// instead, for at most cluster_wait seconds counted from the first such monitor (kept in a
/// file beside the state file), and then fails as for any smbd that does not serve.
/// </summary>
internal sealed class ClusterWait(string stateFile, TimeSpan limit)
{
    private string StallFile => stateFile + ".cluster-wait";

    /// <summary>
    /// Why the cluster database does not serve, as this node's daemon sees it, or null when it
    /// serves: the daemon does not answer, is in recovery, or a node of its generation is
    /// inactive (lost, banned, stopped: a recovery is due).
    /// </summary>
    public static string? WhyNotServing(string socket, TimeSpan timeout)
    {
        try
        {
            using var client = CtdbClient.Connect(socket);
            client.Timeout = timeout;
            if (client.GetRecMode() == RecoveryMode.Active)
            {
                return "ctdb-pcmkd is in recovery";
            }
            var generation = VnnMap.Read(client.Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default).Data);
            var nodes = client.GetNodeMap();
            foreach (uint pnn in generation.Map.Distinct())
            {
                if (pnn < nodes.Count && (nodes[(int)pnn].Flags & NodeFlags.Inactive) != 0)
                {
                    return $"node {pnn} of the generation is {Inactive(nodes[(int)pnn].Flags)}: a recovery is due";
                }
            }
            return null;
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException or ProtocolException)
        {
            return $"ctdb-pcmkd does not answer on {socket} ({e.Message})";
        }
    }

    private static string Inactive(uint flags) =>
        (flags & NodeFlags.Disconnected) != 0 ? "disconnected"
        : (flags & NodeFlags.Banned) != 0 ? "banned"
        : (flags & NodeFlags.Stopped) != 0 ? "stopped"
        : "deleted";

    /// <summary>How long the monitor has waited on the cluster, this one counted (the first says zero).</summary>
    public TimeSpan Waited(DateTime now)
    {
        if (File.Exists(StallFile)
            && long.TryParse(File.ReadAllText(StallFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long since))
        {
            var waited = now - DateTimeOffset.FromUnixTimeMilliseconds(since).UtcDateTime;
            return waited < TimeSpan.Zero ? TimeSpan.Zero : waited;
        }
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(StallFile))!);
        File.WriteAllText(StallFile, new DateTimeOffset(now).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture));
        return TimeSpan.Zero;
    }

    /// <summary>True while a wait of <paramref name="waited"/> is still within cluster_wait.</summary>
    public bool Within(TimeSpan waited) => waited < limit;

    /// <summary>smbd serves (or the wait is over): the next stall counts from zero.</summary>
    public void Clear()
    {
        if (File.Exists(StallFile))
        {
            File.Delete(StallFile);
        }
    }
}
