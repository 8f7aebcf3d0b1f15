// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;

namespace CtdbPcmk.Transport;

/// <summary>
/// Memory for reading packets of megabytes, shared by the daemon's connections (the clients and
/// the node links together: one bound for the whole daemon). Each connection reads packets up to <see cref="Free"/> bytes in buffers of
/// its own. For a longer one it first reserves the packet's whole length here, so whoever holds
/// a reservation can always finish its packet; while the reservations would exceed
/// <see cref="Total"/>, the connection waits, its input unread, in arrival order (a packet larger
/// than the whole budget is read alone). Its buffer still grows only as the bytes arrive, in a
/// few steps, each step's buffer memory mapped for itself
/// (<see cref="MappedMemory"/>), outside the managed heap, so that it goes back to the system
/// the moment it is let go of instead of becoming garbage that the collector frees late and
/// then keeps. With a stall time set, a holder that sends nothing of its packet for that long
/// while others wait is disconnected (clients only: a node sends its packets whole, and its link
/// has keepalives of its own), so one slow or hostile client cannot keep the rest waiting
/// forever. Loop thread only.
/// </summary>
internal sealed class InputBudget
{
    /// <summary>
    /// Buffers up to this size are each connection's own: far above what smbd and the ctdb tool
    /// send in a packet, yet small enough that many connections in the middle of large packets
    /// cost little beside the budget.
    /// </summary>
    public const int Free = 256 * 1024;

    private readonly EventLoop _loop;
    private readonly Serilog.ILogger _log;
    private readonly string _what;
    private readonly TimeSpan _stall;
    private readonly Queue<PacketConnection> _waiting = new();
    /// <summary>Connections holding a reservation, with the bytes they had read at the last stall check.</summary>
    private readonly Dictionary<PacketConnection, long> _holders = new();
    private LoopTimer? _stallCheck;
    private long _waits;

    /// <param name="what">Who shares it and where its size is set, for log lines ("clients and node links ([limits] large packet memory)").</param>
    public InputBudget(EventLoop loop, long total, TimeSpan stall, Serilog.ILogger log, string what)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(total, 1);
        _loop = loop;
        Total = total;
        _stall = stall;
        _log = log;
        _what = what;
    }

    public long Total { get; }

    /// <summary>Bytes reserved by connections reading large packets.</summary>
    public long Reserved { get; private set; }

    /// <summary>
    /// Reserves <paramref name="length"/> bytes for <paramref name="connection"/>'s packet: true
    /// at once, false when it must wait; then <see cref="PacketConnection.Reserved"/> follows.
    /// </summary>
    internal bool TryReserve(PacketConnection connection, int length)
    {
        if (_waiting.Count == 0 && Fits(length))
        {
            Hold(connection, length);
            return true;
        }
        if (_waits++ % 1000 == 0)
        {
            _log.Warning("A packet of {Bytes} bytes from {Peer} waits for memory: {Reserved} of the {Total} bytes for large packets of {What} are reserved; {Waits} waits so far",
                length, connection.Owner?.ToString() ?? $"fd {connection.Fd}", Reserved, Total, _what, _waits);
        }
        connection.WaitingFor = length;
        _waiting.Enqueue(connection);
        ArmStallCheck();
        return false;
    }

    /// <summary><paramref name="connection"/>'s packet is read (or it closed): its reservation goes to those waiting.</summary>
    internal void Release(PacketConnection connection, int length)
    {
        _holders.Remove(connection);
        Reserved -= length;
        GrantWaiting();
    }

    /// <summary>A waiting connection closed: it leaves the queue, and those behind it may go.</summary>
    internal void Leave(PacketConnection connection) => GrantWaiting();

    private bool Fits(int length) => Reserved + length <= Total || Reserved == 0;

    private void Hold(PacketConnection connection, int length)
    {
        Reserved += length;
        _holders[connection] = connection.BytesRead;
    }

    private void GrantWaiting()
    {
        while (_waiting.TryPeek(out var next))
        {
            if (next.IsClosed)
            {
                _waiting.Dequeue();
                continue;
            }
            if (!Fits(next.WaitingFor))
            {
                return;
            }
            _waiting.Dequeue();
            Hold(next, next.WaitingFor);
            next.Reserved();
        }
    }

    private void ArmStallCheck()
    {
        if (_stall > TimeSpan.Zero && _stallCheck is null)
        {
            _stallCheck = _loop.AddTimer(_stall, CheckStalls);
        }
    }

    /// <summary>Every stall interval while someone waits: holders that read nothing since the last check are closed.</summary>
    private void CheckStalls()
    {
        _stallCheck = null;
        if (_waiting.Count == 0)
        {
            return;
        }
        List<PacketConnection>? stalled = null;
        foreach (var (holder, readBefore) in _holders)
        {
            if (holder.ClosesOnStall && holder.BytesRead == readBefore && !holder.IsHeldByOwner)
            {
                (stalled ??= new()).Add(holder);
            }
        }
        foreach (var holder in _holders.Keys.ToArray())
        {
            _holders[holder] = holder.BytesRead;
        }
        foreach (var holder in stalled ?? [])
        {
            holder.Close($"sent nothing of its packet of megabytes for {_stall.TotalSeconds:0.#} s while {_waiting.Count} other(s) waited for the memory it holds");
        }
        ArmStallCheck();
    }
}
