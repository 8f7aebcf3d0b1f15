// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;
using CtdbPcmk.Ocf;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Vip;

/// <summary>
/// The agent's connection to the local CTDB daemon, used to tell it about the address. The
/// address is what the resource manages, so the daemon is optional: no socket means nothing is
/// told, and a daemon that fails or does not answer is logged and then left alone for the rest
/// of the action.
/// </summary>
internal sealed class DaemonSession : IDisposable
{
    /// <summary>How long one control may take; start and stop must not wait on a hung daemon.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private readonly OcfLog _log;
    private CtdbClient? _client;

    private DaemonSession(CtdbClient? client, OcfLog log)
    {
        _client = client;
        _log = log;
    }

    /// <summary>Connects to the daemon's socket when it exists; the session does nothing otherwise.</summary>
    public static DaemonSession Open(string socketPath, OcfLog log)
    {
        if (socketPath.Length == 0 || !File.Exists(socketPath))
        {
            log.Info($"no CTDB daemon socket at {(socketPath.Length == 0 ? "(none configured)" : socketPath)}: the daemon is not told about the address");
            return new DaemonSession(null, log);
        }
        try
        {
            var client = CtdbClient.Connect(socketPath);
            client.Timeout = RequestTimeout;
            return new DaemonSession(client, log);
        }
        catch (CtdbConnectionException e)
        {
            log.Error($"CTDB daemon at {socketPath}: {e.Message}; going on without it");
            return new DaemonSession(null, log);
        }
    }

    /// <summary>ADD_PUBLIC_IP: the address may be hosted on <paramref name="iface"/>.</summary>
    public void AddPublicIp(IPAddress address, int prefixLength, string iface) =>
        Run("ADD_PUBLIC_IP", c => c.AddPublicIp(address, prefixLength, iface));

    /// <summary>TAKEOVER_IP with this node's number: the daemon announces the address and tickles its clients.</summary>
    public void TakeoverIp(IPAddress address) =>
        Run("TAKEOVER_IP", c => c.TakeoverIp(c.GetPnn(), address));

    /// <summary>RELEASE_IP to nobody: smbd drops its clients of the address and the other nodes learn it is free.</summary>
    public void ReleaseIp(IPAddress address) =>
        Run("RELEASE_IP", c => c.ReleaseIp(WireFormat.UnknownPnn, address));

    private void Run(string what, Action<CtdbClient> action)
    {
        if (_client is null)
        {
            return;
        }
        try
        {
            action(_client);
            _log.Debug($"CTDB daemon: {what} done");
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException or SocketException or IOException or ObjectDisposedException)
        {
            _log.Error($"CTDB daemon: {what} failed: {e.Message}; going on without the daemon");
            _client.Dispose();
            _client = null;
        }
    }

    public void Dispose() => _client?.Dispose();
}
