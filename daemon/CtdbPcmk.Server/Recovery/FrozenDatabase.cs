// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Recovery;

/// <summary>Recovery state of one database on this node: freezing, frozen, in a recovery transaction, receiving a push.</summary>
internal sealed class FrozenDatabase
{
    /// <summary>All chain locks are held by this daemon.</summary>
    public bool Frozen { get; set; }

    /// <summary>DB_FREEZE requests waiting for the locks.</summary>
    public List<ControlOrigin> Waiters { get; } = new();

    /// <summary>Retries the non-blocking lock while waiters wait.</summary>
    public LoopTimer? Retry { get; set; }

    public int Attempts { get; set; }

    /// <summary>Transaction id (the new generation) of the open recovery transaction, or null.</summary>
    public uint? Tid { get; set; }

    /// <summary>A write inside the transaction failed: it must not be committed.</summary>
    public bool Failed { get; set; }

    /// <summary>Srvid of the push in progress (0: none) and records stored from it.</summary>
    public ulong PushSrvid { get; set; }

    public uint Pushed { get; set; }

    /// <summary>Stopwatch ticks spent storing pushed records since DB_PUSH_START.</summary>
    public long PushTicks { get; set; }
}
