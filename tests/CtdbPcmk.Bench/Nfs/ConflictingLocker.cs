// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.Bench.Nfs;

/// <summary>
/// Client B: from the event on, tries to write-lock the bytes A had locked, until
/// <c>window</c> after the address first answered it. Result: "yes@MS" (it got the lock, and let
/// go of it at once so as not to disturb A's read), or "no:STATUS" with the last refusal
/// (NFS4ERR_GRACE: new state refused during grace; NFS4ERR_DENIED: A holds the lock).
/// </summary>
internal sealed class ConflictingLocker(NfsServerAddress server, string id, string path, TimeSpan window,
    TimeSpan deadline, Stopwatch clock)
{
    private static readonly TimeSpan s_retry = TimeSpan.FromMilliseconds(100);

    public TimeSpan? AnsweredAt { get; private set; }

    public string Result { get; private set; } = "no:unanswered";

    public void Run()
    {
        while (clock.Elapsed < (AnsweredAt + window ?? deadline))
        {
            using var client = server.TryConnect();
            if (client is null)
            {
                continue;
            }
            AnsweredAt ??= clock.Elapsed;
            try
            {
                var status = client.TrySetClientId(id);
                if (status != Nfs4Status.NFS4_OK)
                {
                    Result = $"no:setclientid:{status}";
                    Thread.Sleep(s_retry);
                    continue;
                }
                Nfs4OpenFile? file = null;
                while (clock.Elapsed < AnsweredAt + window)
                {
                    if (file is null)
                    {
                        status = client.TryOpen(path, ShareAccess.Both, ShareDeny.None, create: false, out file);
                        if (status != Nfs4Status.NFS4_OK)
                        {
                            Result = $"no:{status}";
                            Thread.Sleep(s_retry);
                            continue;
                        }
                    }
                    status = client.TryLock(file!, LockType.Write, 0, 100, reclaim: false, out _);
                    if (status == Nfs4Status.NFS4_OK)
                    {
                        Result = "yes@" + ((long)clock.Elapsed.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
                        client.TryUnlock(file!, LockType.Write, 0, 100);
                        client.TryClose(file!);
                        return;
                    }
                    Result = $"no:{status}";
                    Thread.Sleep(s_retry);
                }
                if (file is not null)
                {
                    client.TryClose(file);
                }
                return;
            }
            catch (Exception e) when (NfsServerAddress.IsTransportFailure(e) || e is Nfs4Exception)
            {
                Result = $"no:{e.GetType().Name}";
            }
        }
    }
}
