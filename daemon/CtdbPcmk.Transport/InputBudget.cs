// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// Memory for reading packets of megabytes, shared by a group of connections (the clients, or
/// the node links). Each connection reads packets up to <see cref="Free"/> bytes in buffers of
/// its own; for a longer one it takes a buffer for the whole packet from here before reading on,
/// so whoever holds one can always finish its packet, and hands it back once the packet is
/// handled. Buffers handed back are kept for the next large packet rather than left to the
/// collector (a stream of large packets then makes no garbage), and let go of after
/// <see cref="IdleRelease"/> without use. Buffers held and kept stay within <see cref="Total"/>
/// bytes; when a packet does not fit, its connection waits, its input unread, in arrival order.
/// A packet larger than the whole budget is read alone. With a stall time set, a holder that
/// sends nothing of its packet for that long while others wait is disconnected, so one slow or
/// hostile peer cannot keep the rest waiting forever. Loop thread only.
/// </summary>
internal sealed class InputBudget
{
    /// <summary>
    /// Buffers up to this size are each connection's own: far above what smbd and the ctdb tool
    /// send in a packet, yet small enough that many connections in the middle of large packets
    /// cost little beside the budget.
    /// </summary>
    public const int Free = 256 * 1024;
    /// <summary>Buffers are made in whole units, so that one serves the next packet of about the same size.</summary>
    private const int Unit = Free;
    public static readonly TimeSpan IdleRelease = TimeSpan.FromSeconds(2);

    private readonly EventLoop _loop;
    private readonly Serilog.ILogger _log;
    private readonly string _what;
    private readonly TimeSpan _stall;
    private readonly Queue<PacketConnection> _waiting = new();
    /// <summary>Connections holding a share, with the bytes they had read at the last stall check.</summary>
    private readonly Dictionary<PacketConnection, long> _holders = new();
    /// <summary>Buffers handed back and kept for the next large packets.</summary>
    private readonly List<byte[]> _kept = new();
    private long _keptBytes;
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

    /// <summary>Bytes of the buffers held by connections reading large packets.</summary>
    public long InUse { get; private set; }

    /// <summary>Bytes of the buffers kept for the next large packets.</summary>
    public long Kept => _keptBytes;

    /// <summary>Connections waiting for a buffer.</summary>
    public int Waiting => _waiting.Count;

    /// <summary>Times a connection had to wait.</summary>
    public long Waits => _waits;

    /// <summary>
    /// A buffer for a packet of <paramref name="length"/> bytes for <paramref name="connection"/>:
    /// at once, or null when it must wait; then <see cref="PacketConnection.Granted"/> brings
    /// it later.
    /// </summary>
    internal byte[]? TryTake(PacketConnection connection, int length)
    {
        if (_waiting.Count == 0 && Fits(length))
        {
            return Take(connection, length);
        }
        if (_waits++ % 1000 == 0)
        {
            _log.Warning("A packet of {Bytes} bytes from {Peer} waits for memory: {InUse} of the {Total} bytes for large packets of {What} are being read; {Waits} waits so far",
                length, connection.Owner?.ToString() ?? $"fd {connection.Fd}", InUse, Total, _what, _waits);
        }
        connection.WaitingFor = length;
        _waiting.Enqueue(connection);
        ArmStallCheck();
        return null;
    }

    /// <summary><paramref name="connection"/> hands back the buffer it held (its packet is handled, or it closed).</summary>
    internal void Give(PacketConnection connection, byte[] buffer)
    {
        _holders.Remove(connection);
        InUse -= buffer.Length;
        if (InUse + _keptBytes + buffer.Length <= Total)
        {
            _kept.Add(buffer);
            _keptBytes += buffer.Length;
        }
        else
        {
            LargeBuffers.Dropped(buffer.Length); // a packet larger than the budget: not kept
        }
        GrantWaiting();
        if (InUse == 0 && _kept.Count > 0 && _idleRelease is null)
        {
            _idleRelease = _loop.AddTimer(IdleRelease, ReleaseIdle);
        }
    }

    /// <summary>A waiting connection closed: it leaves the queue, and those behind it may go.</summary>
    internal void Leave(PacketConnection connection) => GrantWaiting();

    private bool Fits(int length) => InUse + length <= Total || InUse == 0;

    private byte[] Take(PacketConnection connection, int length)
    {
        _lastUse = _loop.Now;
        var buffer = TakeKept(length);
        if (buffer is null)
        {
            long size = Math.Max(length, Math.Min(Total - InUse, (length + (long)Unit - 1) / Unit * Unit));
            // Kept buffers too small for this packet make room for it.
            while (_kept.Count > 0 && InUse + _keptBytes + size > Total)
            {
                DropKept(0);
            }
            buffer = new byte[size];
        }
        InUse += buffer.Length;
        _holders[connection] = connection.BytesRead;
        return buffer;
    }

    /// <summary>The smallest kept buffer that holds <paramref name="length"/> bytes, if any.</summary>
    private byte[]? TakeKept(int length)
    {
        int best = -1;
        for (int i = 0; i < _kept.Count; i++)
        {
            if (_kept[i].Length >= length && (best < 0 || _kept[i].Length < _kept[best].Length))
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
        if (InUse > 0 || _kept.Count == 0)
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
            next.Granted(Take(next, next.WaitingFor));
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
