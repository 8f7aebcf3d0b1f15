// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// Memory for reading packets of megabytes, shared by a group of connections (the clients, or
/// the node links). Each connection reads packets up to <see cref="Free"/> bytes without asking;
/// one that declares a larger packet takes that packet's whole length from the budget before
/// its buffer grows past it, so whoever holds a share can always finish its packet. When the
/// budget is spent the connection waits, its input unread, in arrival order, until others hand
/// theirs back. A packet larger than the whole budget is read alone. With a stall time set, a
/// holder that sends nothing of its packet for that long while others wait is disconnected, so
/// one slow or hostile peer cannot keep the rest waiting forever. Loop thread only.
/// </summary>
internal sealed class InputBudget
{
    /// <summary>Buffers up to this size are each connection's own.</summary>
    public const int Free = LargeBuffers.Large;

    private readonly EventLoop _loop;
    private readonly Serilog.ILogger _log;
    private readonly string _what;
    private readonly TimeSpan _stall;
    private readonly Queue<PacketConnection> _waiting = new();
    /// <summary>Connections holding a share, with the bytes they had read at the last stall check.</summary>
    private readonly Dictionary<PacketConnection, long> _holders = new();
    private LoopTimer? _stallCheck;
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

    /// <summary>Bytes held by connections reading large packets.</summary>
    public long InUse { get; private set; }

    /// <summary>Connections waiting for a share.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Times a connection had to wait.</summary>
    public long Waits => _waits;

    /// <summary>
    /// <paramref name="bytes"/> more for <paramref name="connection"/>: true when taken at once;
    /// false when it must wait, and then <see cref="PacketConnection.Granted"/> follows later.
    /// </summary>
    internal bool TryTake(PacketConnection connection, long bytes)
    {
        if (_waiting.Count == 0 && Fits(bytes))
        {
            Take(connection, bytes);
            return true;
        }
        if (_waits++ % 1000 == 0)
        {
            _log.Warning("A packet of {Bytes} bytes from {Peer} waits for memory: {InUse} of the {Total} bytes for large packets of {What} are being read; {Waits} waits so far",
                bytes, connection.Owner?.ToString() ?? $"fd {connection.Fd}", InUse, Total, _what, _waits);
        }
        connection.WaitingFor = bytes;
        _waiting.Enqueue(connection);
        ArmStallCheck();
        return false;
    }

    /// <summary><paramref name="connection"/> hands back all it held (its packet is read, or it closed).</summary>
    internal void Give(PacketConnection connection, long bytes)
    {
        _holders.Remove(connection);
        InUse -= bytes;
        GrantWaiting();
    }

    /// <summary>A waiting connection closed: it leaves the queue, and those behind it may go.</summary>
    internal void Leave(PacketConnection connection) => GrantWaiting();

    private bool Fits(long bytes) => InUse + bytes <= Total || InUse == 0;

    private void Take(PacketConnection connection, long bytes)
    {
        InUse += bytes;
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
            Take(next, next.WaitingFor);
            next.Granted();
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
