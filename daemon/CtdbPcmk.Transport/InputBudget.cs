// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// Memory for reading packets of megabytes, shared by a group of connections (the clients, or
/// the node links). Each connection reads packets up to <see cref="Free"/> bytes in buffers of
/// its own. For a longer one it first reserves the packet's whole length here, so whoever holds
/// a reservation can always finish its packet; while the reservations would exceed
/// <see cref="Total"/>, the connection waits, its input unread, in arrival order (a packet larger
/// than the whole budget is read alone). Its buffer still grows only as the bytes arrive, in a
/// few steps, each step's buffer coming from here; buffers given back are kept for the next
/// large packets rather than left to the collector (within <see cref="Total"/> bytes, let go of
/// after <see cref="IdleRelease"/> unused), so a stream of large packets makes no garbage. With a
/// stall time set, a holder that sends nothing of its packet for that long while others wait is
/// disconnected, so one slow or hostile peer cannot keep the rest waiting forever. Loop thread only.
/// </summary>
internal sealed class InputBudget
{
    /// <summary>
    /// Buffers up to this size are each connection's own: far above what smbd and the ctdb tool
    /// send in a packet, yet small enough that many connections in the middle of large packets
    /// cost little beside the budget.
    /// </summary>
    public const int Free = 256 * 1024;
    public static readonly TimeSpan IdleRelease = TimeSpan.FromSeconds(2);

    private readonly EventLoop _loop;
    private readonly Serilog.ILogger _log;
    private readonly string _what;
    private readonly TimeSpan _stall;
    private readonly Queue<PacketConnection> _waiting = new();
    /// <summary>Connections holding a reservation, with the bytes they had read at the last stall check.</summary>
    private readonly Dictionary<PacketConnection, long> _holders = new();
    /// <summary>Buffers given back and kept for the next large packets.</summary>
    private readonly List<byte[]> _kept = new();
    private long _keptBytes;
    /// <summary>Bytes of the buffers connections read into now.</summary>
    private long _lent;
    private LoopTimer? _stallCheck;
    private LoopTimer? _idleRelease;
    private long _lastUse;
    private long _waits;

    /// <param name="what">Who shares it and where its size is set, for log lines ("clients ([limits] client large packets)").</param>
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

    /// <summary>Connections waiting for a reservation.</summary>
    public int Waiting => _waiting.Count;

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

    /// <summary>
    /// A buffer of at least <paramref name="size"/> bytes for a connection holding a reservation:
    /// the smallest kept one that fits, else a new one (kept ones making room for it).
    /// </summary>
    internal byte[] Lend(int size)
    {
        _lastUse = _loop.Now;
        var buffer = TakeKept(size);
        if (buffer is null)
        {
            while (_kept.Count > 0 && _lent + _keptBytes + size > Total)
            {
                DropKept(0);
            }
            buffer = new byte[size];
        }
        _lent += buffer.Length;
        return buffer;
    }

    /// <summary>A buffer from <see cref="Lend"/> is no longer read into: kept for the next packets while they fit the budget.</summary>
    internal void Return(byte[] buffer)
    {
        _lent -= buffer.Length;
        if (_lent + _keptBytes + buffer.Length <= Total)
        {
            _kept.Add(buffer);
            _keptBytes += buffer.Length;
            if (_idleRelease is null)
            {
                _idleRelease = _loop.AddTimer(IdleRelease, ReleaseIdle);
            }
        }
        else
        {
            LargeBuffers.Dropped(buffer.Length);
        }
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

    /// <summary>The smallest kept buffer that holds <paramref name="size"/> bytes, if any.</summary>
    private byte[]? TakeKept(int size)
    {
        int best = -1;
        for (int i = 0; i < _kept.Count; i++)
        {
            if (_kept[i].Length >= size && (best < 0 || _kept[i].Length < _kept[best].Length))
            {
                best = i;
            }
        }
        if (best < 0)
        {
            return null;
        }
        var buffer = _kept[best];
        _kept.RemoveAt(best);
        _keptBytes -= buffer.Length;
        return buffer;
    }

    private void DropKept(int index)
    {
        var buffer = _kept[index];
        _kept.RemoveAt(index);
        _keptBytes -= buffer.Length;
        LargeBuffers.Dropped(buffer.Length);
    }

    /// <summary>No large packet for a while: the kept buffers go back to the system.</summary>
    private void ReleaseIdle()
    {
        _idleRelease = null;
        if (_kept.Count == 0)
        {
            return;
        }
        var idle = _loop.Time.GetElapsedTime(_lastUse);
        if (idle < IdleRelease)
        {
            _idleRelease = _loop.AddTimer(IdleRelease - idle, ReleaseIdle);
            return;
        }
        while (_kept.Count > 0)
        {
            DropKept(_kept.Count - 1);
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
            if (holder.BytesRead == readBefore && !holder.IsHeldByOwner)
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
