// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Clients;

/// <summary>
/// What one client may take of the daemon, so that no client can hurt the others (ctdb.conf
/// section [limits]). Each limit, when hit, writes a log line.
/// </summary>
public sealed record ClientLimits
{
    /// <summary>Connections on the client socket at once; more are refused at accept.</summary>
    public int MaxClients { get; init; } = 16384;

    /// <summary>SRVID registrations one client may hold; REGISTER_SRVID fails beyond.</summary>
    public int MaxRegistrations { get; init; } = 8192;

    /// <summary>
    /// Calls one client may have waiting in the daemon (for a chain lock, a recovery or a
    /// migration); at the limit its further requests are not read until half are answered.
    /// </summary>
    public int MaxPendingCalls { get; init; } = 1024;

    /// <summary>
    /// Bytes queued to a client that does not read, above which the daemon stops reading its
    /// requests until half of it has left (its own replies no longer pile up).
    /// </summary>
    public long QueuePause { get; init; } = 16L << 20;

    /// <summary>
    /// Bytes queued to a client at which it is disconnected: what others send it (messages,
    /// traverse records) can still pile up while its requests wait.
    /// </summary>
    public long QueueMaximum { get; init; } = 512L << 20;

    /// <summary>
    /// Bytes reserved for packets of more than 256 KiB being read, from all clients together
    /// (the node links have 16 MiB of their own): a connection whose packet does not fit waits, unread, until others' are
    /// read (a single packet larger than this is read alone). Bounds the daemon's memory however
    /// many peers send at once.
    /// </summary>
    public long LargePackets { get; init; } = 16L << 20;

    /// <summary>
    /// A client holding part of <see cref="LargePackets"/> that sends nothing of its packet for
    /// this long while others wait for it is disconnected.
    /// </summary>
    public TimeSpan LargePacketStall { get; init; } = TimeSpan.FromSeconds(10);
}
