// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.Bench.Nfs;

/// <summary>What client A went through after the event: times from its start, and its state.</summary>
internal sealed record RecoveryOutcome(TimeSpan? AnsweredAt, TimeSpan? ReadAt, string Open, string Lock, string Data);

/// <summary>Client A: its state before the event, and its recovery after it.</summary>
internal static class NfsRecoveringClient
{
    private static readonly TimeSpan s_retry = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Creates and writes <paramref name="path"/>, then write-locks bytes 0..99. The server may
    /// still be in grace from an earlier takeover (new state refused): waits it out.
    /// </summary>
    public static Nfs4Client Prepare(NfsServerAddress server, string id, byte[] verifier, string path, byte[] data)
    {
        var client = server.Connect();
        try
        {
            client.SetClientId(id, verifier);
            var deadline = Stopwatch.StartNew();
            Nfs4OpenFile? file;
            Nfs4Status status;
            while ((status = client.TryOpen(path, ShareAccess.Both, ShareDeny.None, create: true, out file)) is Nfs4Status.NFS4ERR_GRACE
                or Nfs4Status.NFS4ERR_DELAY && deadline.Elapsed < TimeSpan.FromSeconds(90))
            {
                Thread.Sleep(500);
            }
            if (status != Nfs4Status.NFS4_OK)
            {
                throw new Nfs4Exception(status, $"OPEN {path} before the event");
            }
            client.Write(file!, 0, data);
            client.Lock(file!, LockType.Write, 0, 100);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reconnects until the address answers, then SETCLIENTID with the same id string and verifier,
    /// reclaims the open and the lock, or opens anew when the reclaim is refused, and reads.
    /// </summary>
    public static RecoveryOutcome Recover(NfsServerAddress server, string id, byte[] verifier, string path, byte[] expected,
        TimeSpan deadline, Stopwatch clock)
    {
        TimeSpan? answered = null;
        string open = "none", lockState = "none", dataState = "none";
        while (clock.Elapsed < deadline)
        {
            using var client = server.TryConnect();
            if (client is null)
            {
                continue;
            }
            answered ??= clock.Elapsed;
            try
            {
                var status = client.TrySetClientId(id, verifier);
                if (status != Nfs4Status.NFS4_OK)
                {
                    open = $"setclientid:{status}";
                    Thread.Sleep(s_retry);
                    continue;
                }
                status = client.TryReclaimOpen(path, ShareAccess.Both, ShareDeny.None, out var file);
                if (status is Nfs4Status.NFS4ERR_DELAY)
                {
                    Thread.Sleep(s_retry);
                    continue;
                }
                if (status == Nfs4Status.NFS4_OK)
                {
                    open = "reclaimed";
                    var locked = client.TryLock(file!, LockType.Write, 0, 100, reclaim: true, out _);
                    lockState = locked == Nfs4Status.NFS4_OK ? "kept" : $"lost:{locked}";
                }
                else
                {
                    // Reclaim refused (no grace here, or no record of this client): the open and
                    // the lock are gone; open anew, waiting out a grace period meant for others.
                    open = $"new:{status}";
                    lockState = $"lost:{status}";
                    while ((status = client.TryOpen(path, ShareAccess.Both, ShareDeny.None, create: false, out file))
                        is Nfs4Status.NFS4ERR_GRACE or Nfs4Status.NFS4ERR_DELAY && clock.Elapsed < deadline)
                    {
                        Thread.Sleep(s_retry);
                    }
                    if (status != Nfs4Status.NFS4_OK)
                    {
                        open = $"failed:{status}";
                        continue;
                    }
                }
                var data = client.Read(file!, 0, expected.Length + 64);
                var readAt = clock.Elapsed;
                dataState = data.AsSpan().SequenceEqual(expected) ? "ok" : $"differs({data.Length}B)";
                // Let go of the state, so that the next round starts from a clean server.
                if (file!.LockStateId is not null)
                {
                    client.TryUnlock(file, LockType.Write, 0, 100);
                }
                client.TryClose(file);
                return new RecoveryOutcome(answered, readAt, open, lockState, dataState);
            }
            catch (Exception e) when (NfsServerAddress.IsTransportFailure(e) || e is Nfs4Exception)
            {
                dataState = e.GetType().Name;
            }
        }
        return new RecoveryOutcome(answered, null, open, lockState, dataState);
    }
}
