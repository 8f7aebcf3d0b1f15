// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using CtdbPcmk.Client;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Portblock;

/// <summary>The TCP connections the local CTDB daemon knows for the address (smbd registers them; every node has them).</summary>
internal static class DaemonConnections
{
    /// <summary>How long the daemon may take: unblocking must not wait on a hung daemon.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The daemon's connections to the address on a port in portno; null when the daemon is not
    /// to be asked (no socket, or not a single TCP address), empty when asking failed.
    /// </summary>
    public static List<TcpConnection>? Fetch(OcfContext context, PortblockConfig config)
    {
        var socket = config.CtdbSocket;
        if (!config.IsTcp || !config.Match.IsSingleAddress || socket.Length == 0)
        {
            return null;
        }

        if (!File.Exists(socket))
        {
            context.Log.Info($"no CTDB daemon socket at {socket}: only recorded connections are tickled");
            return null;
        }

        try
        {
            using var client = CtdbClient.Connect(socket);
            client.Timeout = RequestTimeout;
            var list = client.GetTcpTickleList(config.Match.Address)
                .Where(c => config.Ports.Contains(c.Destination.Port))
                .Select(c => new TcpConnection(c.Destination, c.Source))
                .ToList();
            context.Log.Debug($"the CTDB daemon knows {list.Count} connection(s) to {config.Match.Address} on ports {config.Ports}");
            return list;
        }
        catch (CtdbControlException e) when (e.Status == 1)
        {
            // Status 1: the daemon does not know the address as public; it has nothing to tickle.
            context.Log.Info($"the CTDB daemon does not know {config.Match.Address} as a public address");
            return [];
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException or SocketException or IOException)
        {
            context.Log.Error($"CTDB daemon at {socket}: connection list of {config.Match.Address} not fetched: {e.Message}");
            return [];
        }
    }
}
