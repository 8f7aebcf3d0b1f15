// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Client;
using CtdbPcmk.Ocf;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>
/// The tracker's connection to the local daemon: opened on demand, dropped on any failure (the
/// tracker then carries on and tries again a second later). Every call either succeeds or leaves
/// the link closed; none throws.
/// </summary>
internal sealed class DaemonLink(string socketPath, OcfLog log) : IDisposable
{
    /// <summary>How long one control may take before the daemon counts as gone.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private CtdbClient? _client;
    private uint _pnn;

    public bool IsUp => _client is not null;

    /// <summary>Connects when not connected; true when connected afterwards. <paramref name="connected"/>: this call made the connection.</summary>
    public bool Ensure(out bool connected)
    {
        connected = false;
        if (_client is not null)
        {
            return true;
        }
        if (!File.Exists(socketPath))
        {
            return false;
        }
        try
        {
            var client = CtdbClient.Connect(socketPath);
            client.Timeout = RequestTimeout;
            _pnn = client.GetPnn();
            _client = client;
            connected = true;
            log.Info($"connected to the daemon at {socketPath} (node {_pnn})");
            return true;
        }
        catch (Exception e) when (IsDaemonFailure(e))
        {
            log.Debug($"daemon at {socketPath} not reachable: {e.Message}");
            return false;
        }
    }

    /// <summary>The public addresses the daemon says this node holds; null when the daemon failed.</summary>
    public HashSet<IPAddress>? HeldAddresses()
    {
        return Call(c =>
        {
            var held = new HashSet<IPAddress>();
            foreach (var ip in c.GetPublicIps())
            {
                if (ip.Pnn == _pnn)
                {
                    held.Add(Canonical(ip.Address.Address));
                }
            }
            return held;
        }, "GET_PUBLIC_IPS");
    }

    /// <summary>The daemon's list for <paramref name="address"/>; null when the daemon failed or does not know the address.</summary>
    public IReadOnlyList<CtdbConnection>? List(IPAddress address)
    {
        if (_client is null)
        {
            return null;
        }
        try
        {
            return _client.GetTcpTickleList(address);
        }
        catch (CtdbControlException e) when (e.Status == 1)
        {
            return [];
        }
        catch (Exception e) when (IsDaemonFailure(e))
        {
            Drop($"GET_TCP_TICKLE_LIST {address}", e);
            return null;
        }
    }

    /// <summary>Writes <paramref name="changes"/> in controls of at most <see cref="TcpChanges.MaxPerControl"/>; false when the daemon failed.</summary>
    public bool Write(List<TcpChange> changes, out int skipped)
    {
        skipped = 0;
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(changes);
        while (!span.IsEmpty)
        {
            var chunk = span[..Math.Min(span.Length, TcpChanges.MaxPerControl)];
            span = span[chunk.Length..];
            if (_client is null)
            {
                return false;
            }
            try
            {
                skipped += _client.TcpUpdate(chunk).Skipped;
            }
            catch (Exception e) when (IsDaemonFailure(e))
            {
                Drop("PCMK_TCP_UPDATE", e);
                return false;
            }
        }
        return true;
    }

    public void Dispose()
    {
        _client?.Dispose();
        _client = null;
    }

    private T? Call<T>(Func<CtdbClient, T> call, string what)
        where T : class
    {
        if (_client is null)
        {
            return null;
        }
        try
        {
            return call(_client);
        }
        catch (Exception e) when (IsDaemonFailure(e))
        {
            Drop(what, e);
            return null;
        }
    }

    private void Drop(string what, Exception e)
    {
        log.Warning($"daemon at {socketPath}: {what} failed ({e.GetType().Name}: {e.Message}); reconnecting");
        Dispose();
    }

    private static bool IsDaemonFailure(Exception e) =>
        e is CtdbConnectionException or CtdbControlException or TimeoutException or SocketException or IOException or ProtocolException or Linux.ErrnoException;

    /// <summary>The form the daemon compares addresses in: IPv4-mapped as IPv4, IPv6 without a scope.</summary>
    internal static IPAddress Canonical(IPAddress a) =>
        a.IsIPv4MappedToIPv6 ? a.MapToIPv4()
        : a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && a.ScopeId != 0 ? new IPAddress(a.GetAddressBytes())
        : a;
}
