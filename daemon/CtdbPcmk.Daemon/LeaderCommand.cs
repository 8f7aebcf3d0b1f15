// SPDX-License-Identifier: GPL-3.0-or-later
using System.CommandLine;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Daemon;

/// <summary>
/// `ctdb-pcmkd leader take|release|show`: gives or takes the leader role of the local daemon
/// (what the Pacemaker agent's promote and demote do) and shows the node's leader state.
/// </summary>
internal static class LeaderCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var action = new Argument<string>("action") { Description = "take, release or show" };
        action.AcceptOnlyFromAmong("take", "release", "show");
        var socket = new Option<string?>("--socket")
        {
            Description = "The daemon's Unix socket (default: CTDB_SOCKET, else " + DaemonConfig.DefaultSocket + ")",
            HelpName = "PATH",
        };
        var timeout = new Option<int>("--timeout")
        {
            Description = "Seconds to wait for the daemon's answer",
            DefaultValueFactory = _ => 10,
        };
        var command = new Command("leader", "Take, release or show the local node's leader role") { action, socket, timeout };
        command.SetAction(result =>
        {
            string path = result.GetValue(socket) ?? NonEmpty(Environment.GetEnvironmentVariable("CTDB_SOCKET")) ?? DaemonConfig.DefaultSocket;
            return Run(result.GetValue(action)!, path, TimeSpan.FromSeconds(Math.Max(1, result.GetValue(timeout))), output, error);
        });
        return command;
    }

    internal static int Run(string action, string socket, TimeSpan timeout, TextWriter output, TextWriter error)
    {
        try
        {
            using var client = CtdbClient.Connect(socket);
            client.Timeout = timeout;
            switch (action)
            {
                case "take":
                    client.SetLeaderRole(true);
                    break;
                case "release":
                    client.SetLeaderRole(false);
                    break;
                default:
                    output.WriteLine(Format(client.GetLeaderState()));
                    break;
            }
            return 0;
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or IOException or TimeoutException)
        {
            error.WriteLine($"ctdb-pcmkd leader {action}: {socket}: {e.Message}");
            return 1;
        }
    }

    /// <summary>One line of key=value pairs, easy for scripts to read.</summary>
    internal static string Format(LeaderState s) =>
        $"pnn={s.Pnn} leader={(s.Leader == WireFormat.UnknownPnn ? "unknown" : s.Leader.ToString(System.Globalization.CultureInfo.InvariantCulture))} " +
        $"term={s.Term} generation={s.Generation} recmode={(s.RecoveryMode == RecoveryMode.Normal ? "NORMAL" : "ACTIVE")} " +
        $"flags=0x{s.NodeFlags:x} recovered={(s.Recovered != 0 ? "yes" : "no")}";

    private static string? NonEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
