// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.Bench.Nfs;

/// <summary>An NFS server address as seen from a network namespace (the box's client side).</summary>
internal sealed class NfsServerAddress(string netns, string address)
{
    private const int NfsPort = 2049;

    // A connect attempt to an address nobody serves yet waits for a SYN-ACK that never comes:
    // bounded, and retried at once, so a client notices the takeover within this much.
    private static readonly TimeSpan s_attempt = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan s_io = TimeSpan.FromSeconds(10);

    public string Address { get; } = address;

    /// <summary>A connection that answered NULL, or null when this attempt failed.</summary>
    public Nfs4Client? TryConnect()
    {
        try
        {
            // The probe's short timeout would also bound every later call on the connection,
            // so the client proper connects again once the probe got through.
            NetNamespace.RunIn(netns, () => Nfs4Client.Connect(Address, NfsPort, timeout: s_attempt)).Dispose();
            var client = Connect();
            try
            {
                client.Null();
                return client;
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }
        catch (Exception e) when (IsTransportFailure(e))
        {
            Thread.Sleep(20);
            return null;
        }
    }

    public Nfs4Client Connect() => NetNamespace.RunIn(netns, () => Nfs4Client.Connect(Address, NfsPort, timeout: s_io));

    public static bool IsTransportFailure(Exception e) => e is SocketException or IOException or TimeoutException
        or AggregateException or InvalidDataException or RpcException or InvalidOperationException;
}
