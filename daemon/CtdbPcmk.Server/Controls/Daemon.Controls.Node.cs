// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Linux;
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server;

public sealed partial class Daemon
{
    private ControlReply UptimeReply()
    {
        var now = _loop.Time.GetUtcNow();
        var uptime = new Uptime(
            Timeval.FromDateTimeOffset(now),
            Timeval.FromDateTimeOffset(_startTime),
            Timeval.FromDateTimeOffset(_lastRecoveryStarted),
            Timeval.FromDateTimeOffset(_lastRecoveryFinished));
        var data = new byte[Uptime.Size];
        uptime.Write(data);
        return ControlReply.WithData(data);
    }

    private ControlReply StatisticsReply()
    {
        _statistics.StatisticsCurrentTime = Timeval.FromDateTimeOffset(_loop.Time.GetUtcNow());
        _statistics.NumClients = (uint)_clients.Count;
        _statistics.Recovering = _cluster.RecoveryMode == RecoveryMode.Active ? 1u : 0u;
        _statistics.MemoryUsed = (uint)Math.Min(uint.MaxValue, GC.GetTotalMemory(false));
        var data = new byte[CtdbStatistics.Size];
        _statistics.Write(data);
        return ControlReply.WithData(data);
    }

    private ControlReply StatisticsReset()
    {
        _statistics = new CtdbStatistics
        {
            StatisticsStartTime = Timeval.FromDateTimeOffset(_loop.Time.GetUtcNow()),
        };
        return ControlReply.Ok;
    }

    private ControlReply RegisterSrvid(ClientConnection? client, ulong srvid)
    {
        if (client is null)
        {
            return ControlReply.Fail;
        }
        _srvids.Register(client, srvid);
        if (srvid == Srvid.Leader)
        {
            // Answer first, then tell the new listener who leads, so that `ctdb status`
            // does not wait for the next periodic announcement.
            _loop.Post(() =>
            {
                if (!client.IsClosed)
                {
                    AnnounceLeaderTo(client);
                }
            });
        }
        return ControlReply.Ok;
    }

    private ControlReply DeregisterSrvid(ClientConnection? client, ulong srvid) =>
        client is not null && _srvids.Deregister(client, srvid) ? ControlReply.Ok : ControlReply.Fail;

    /// <summary>0 if a connected client has this pid and the process is alive.</summary>
    private ControlReply ProcessExists(ReadOnlySpan<byte> data)
    {
        if (data.Length != 4)
        {
            return ControlReply.Fail;
        }
        int pid = BinaryPrimitives.ReadInt32LittleEndian(data);
        foreach (var client in _clients.Values)
        {
            if (client.Pid == pid)
            {
                return new ControlReply(IsAlive(pid) ? 0 : -1);
            }
        }
        return new ControlReply(-1);
    }

    /// <summary>0 if a client with this pid registered this srvid (smbd's server-id check).</summary>
    private ControlReply CheckPidSrvid(ReadOnlySpan<byte> data)
    {
        var ps = PidSrvid.Read(data);
        foreach (var client in _clients.Values)
        {
            if (client.Pid == ps.Pid && client.Srvids.Contains(ps.Srvid))
            {
                return new ControlReply(IsAlive(ps.Pid) ? 0 : -1);
            }
        }
        return new ControlReply(-1);
    }

    private static bool IsAlive(int pid) =>
        Interop.Libc.kill(pid, 0) == 0 || LastError.Errno == Errno.EPERM;

    private ControlReply GetTunable(ReadOnlySpan<byte> data)
    {
        string name = StringN.Read(data);
        return _tunables.TryGet(name, out uint value) ? U32(value) : new ControlReply(-22);
    }

    private ControlReply SetTunable(ReadOnlySpan<byte> data)
    {
        var t = TunableValue.Read(data);
        if (!_tunables.TrySet(t.Name, t.Value, out bool obsolete))
        {
            return ControlReply.Fail;
        }
        _log.Information("Tunable {Name} set to {Value}", t.Name, t.Value);
        return new ControlReply(obsolete ? 1 : 0);
    }

    private static ControlReply ListTunables()
    {
        var list = Tunables.Names;
        var data = new byte[list.EncodedSize];
        list.Write(data);
        return ControlReply.WithData(data);
    }

    private ControlReply GetAllTunables()
    {
        var data = new byte[TunableList.Size];
        _tunables.Write(data);
        return ControlReply.WithData(data);
    }

    private static ControlReply PersistentUpdate(ClientConnection? client, int delta)
    {
        if (client is null)
        {
            return ControlReply.Fail;
        }
        client.PersistentUpdates = Math.Max(0, client.PersistentUpdates + delta);
        return ControlReply.Ok;
    }
}
