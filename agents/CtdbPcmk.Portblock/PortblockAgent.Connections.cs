// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Portblock;

/// <summary>The connection side of the agent: record, tickle, reset.</summary>
public sealed partial class PortblockAgent
{
    /// <summary>
    /// Sends tickle ACKs to the clients recorded in tickle_dir/&lt;ip&gt; and to those the local CTDB
    /// daemon knows on a port in portno, each connection once. Failures are logged: unblocking
    /// matters more.
    /// </summary>
    private void TickleRecordedClients(OcfContext context, PortblockConfig config)
    {
        var fromFile = RecordedConnections(context, config);
        var fromDaemon = DaemonConnections.Fetch(context, config);
        if (fromFile is null && fromDaemon is null)
        {
            return;
        }

        var connections = (fromFile ?? []).Concat(fromDaemon ?? []).Distinct().ToList();
        var (sent, errors) = Tickler.Send(connections, _sleep);
        foreach (var error in errors.Distinct().Take(5))
        {
            context.Log.Warning(error);
        }

        context.Log.Info($"sent {sent} tickle ACK(s) to {connections.Count} recorded connection(s) of {config.Match.Address}");
    }

    /// <summary>The connections in tickle_dir/&lt;ip&gt;; null without tickle_dir.</summary>
    private static List<TcpConnection>? RecordedConnections(OcfContext context, PortblockConfig config)
    {
        if (config.TickleFile is not { } file)
        {
            return null;
        }

        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (FileNotFoundException)
        {
            context.Log.Info($"no connections recorded in {file}");
            return [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            context.Log.Warning($"cannot read {file}: {e.Message}");
            return [];
        }

        var connections = ConnectionList.Parse(text, config.Match.Address, out var rejected);
        if (rejected > 0)
        {
            context.Log.Warning($"{file}: ignored {rejected} line(s) that are not a connection to {config.Match.Address}");
        }

        return connections;
    }

    /// <summary>Writes the established TCP connections to the address into tickle_dir/&lt;ip&gt;.</summary>
    private void RecordConnections(OcfContext context, PortblockConfig config)
    {
        if (config.TickleFile is not { } file)
        {
            return;
        }

        if (!Directory.Exists(config.TickleDir))
        {
            context.Log.Warning($"tickle_dir '{config.TickleDir}' does not exist; connections not recorded");
            return;
        }

        var connections = LocalConnections(config, anyPort: true);
        try
        {
            ConnectionList.Write(file, connections.Select(e => new TcpConnection(e.Local, e.Remote)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The list only speeds up the clients' reconnection after a move: a monitor or stop
            // must not fail for it (a failed stop leaves the address blocked where it is).
            context.Log.Warning($"recording the connections in {file} failed: {e.Message}");
            return;
        }
        context.Log.Debug($"recorded {connections.Count} connection(s) in {file}");
        if (config.SyncScript is { } script)
        {
            var words = script.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            try
            {
                var result = _runner.Run(words[0], [.. words[1..], file], Bounded(context.Timeout));
                if (!result.Succeeded)
                {
                    context.Log.Warning($"sync_script exited {result.ExitCode}: {result.Stderr.Trim()}");
                }
            }
            catch (CommandRunner.CommandNotFoundException e)
            {
                context.Log.Warning($"sync_script: {e.Message}");
            }
        }
    }

    /// <summary>Aborts this node's established connections on the address and ports (the kernel sends RSTs).</summary>
    private static void ResetLocalConnections(OcfContext context, PortblockConfig config)
    {
        if (!config.IsTcp)
        {
            return;
        }

        var reset = 0;
        foreach (var entry in LocalConnections(config, anyPort: false))
        {
            if (TcpSocketTable.Destroy(entry))
            {
                reset++;
            }
        }

        context.Log.Info($"reset {reset} local connection(s) on {config.Match.Address} ports {config.Ports}");
    }

    private static List<TcpSocketEntry> LocalConnections(PortblockConfig config, bool anyPort) =>
        TcpSocketTable.Established()
            .Where(e => e.Local.Address.Equals(config.Match.Address) && (anyPort || config.Ports.Contains(e.Local.Port)))
            .ToList();
}
