// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Collections.Concurrent;
using CtdbPcmk.Linux.Netlink;

namespace CtdbPcmk.Conntrack.Tracker;

/// <summary>
/// Empties the conntrack event socket on a thread of its own, so that the kernel's buffer is
/// drained while the tracker's loop waits on the daemon or reads the socket table. Datagrams
/// are copied into chunks (each datagram prefixed by its length) handed to the loop in order.
/// Memory is bounded: at most <see cref="MaxChunks"/> chunks wait; when the loop falls that far
/// behind the pump stops reading, the kernel's buffer fills, and the kernel's overrun is passed
/// on like any other (<see cref="Chunk.Overrun"/>).
/// </summary>
internal sealed class EventPump : IDisposable
{
    /// <summary>Bytes per chunk.</summary>
    public const int ChunkSize = 1 << 20;

    /// <summary>Chunks waiting for the loop at most (so at most this many MiB held here).</summary>
    public const int MaxChunks = 32;

    /// <summary>Room kept free for one more datagram; a chunk with less is handed over.</summary>
    private const int DatagramRoom = 64 * 1024;

    private readonly ConntrackEventSocket _socket;
    private readonly BlockingCollection<Chunk> _ready = new(new ConcurrentQueue<Chunk>(), MaxChunks);
    private readonly ConcurrentBag<byte[]> _free = new();
    private readonly Thread _thread;
    private volatile bool _stopping;

    private readonly Action<string> _warn;

    /// <param name="warn">Logs a warning (called on the pump's thread).</param>
    public EventPump(ConntrackEventSocket socket, Action<string> warn)
    {
        _socket = socket;
        _warn = warn;
        _thread = new Thread(Pump) { IsBackground = true, Name = "conntrack events" };
    }

    /// <summary>Datagrams in a chunk, or the kernel's report that events were dropped.</summary>
    public readonly record struct Chunk(byte[]? Buffer, int Length, bool Overrun);

    /// <summary>The pump thread stopped on an error it cannot recover from (the loop should stop).</summary>
    public Exception? Failure { get; private set; }

    public void Start() => _thread.Start();

    /// <summary>The next chunk, waiting up to <paramref name="timeout"/>; false when none came.</summary>
    public bool TryTake(out Chunk chunk, TimeSpan timeout) => _ready.TryTake(out chunk, timeout);

    /// <summary>Calls <paramref name="visit"/> for each datagram of <paramref name="chunk"/>, then recycles its buffer.</summary>
    public void Consume(Chunk chunk, DatagramVisitor visit)
    {
        if (chunk.Buffer is not { } buffer)
        {
            return;
        }
        var data = buffer.AsSpan(0, chunk.Length);
        while (data.Length >= sizeof(int))
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(data);
            visit(data.Slice(sizeof(int), length));
            data = data[(sizeof(int) + length)..];
        }
        _free.Add(buffer);
    }

    public delegate void DatagramVisitor(ReadOnlySpan<byte> datagram);

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }
        _ready.Dispose();
    }

    /// <summary>
    /// The pump's nice value: under a storm of connections it competes for the CPU with the
    /// processes making them, and whatever it leaves in the kernel's buffer too long is lost.
    /// </summary>
    public const int Nice = -10;

    private void Pump()
    {
        if (Linux.ThreadNice.TrySet(Nice) is int errno and not 0)
        {
            _warn($"conntrack events read at normal priority (setting nice {Nice} failed with errno {errno})");
        }
        byte[]? buffer = null;
        int used = 0;
        bool overrun = false;
        try
        {
            while (!_stopping)
            {
                buffer ??= Rent();
                // Wait only for the first datagram of a chunk; hand the chunk over once the socket is empty.
                var result = _socket.Receive(buffer.AsSpan(used + sizeof(int), DatagramRoom), wait: used == 0, out int length);
                switch (result)
                {
                    case ConntrackEventSocket.ReceiveResult.Data:
                        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(used), length);
                        used += sizeof(int) + length;
                        if (ChunkSize - used >= DatagramRoom + sizeof(int))
                        {
                            continue;
                        }
                        break;
                    case ConntrackEventSocket.ReceiveResult.Overrun:
                        // The kernel drops every event until its queue is empty: the loop learns of
                        // the loss once all that was queued is read, so its re-read of the socket
                        // table comes after the last event that could still be missing.
                        overrun = true;
                        continue;
                    case ConntrackEventSocket.ReceiveResult.Empty:
                        Hand(ref buffer, ref used);
                        if (overrun)
                        {
                            overrun = false;
                            Add(new Chunk(null, 0, Overrun: true));
                        }
                        continue;
                }
                Hand(ref buffer, ref used);
            }
        }
        catch (Exception e) when (e is Linux.ErrnoException or InvalidOperationException or ObjectDisposedException)
        {
            if (!_stopping)
            {
                Failure = e;
            }
        }
    }

    private void Hand(ref byte[]? buffer, ref int used)
    {
        if (used == 0 || buffer is null)
        {
            return;
        }
        Add(new Chunk(buffer, used, Overrun: false));
        buffer = null;
        used = 0;
    }

    /// <summary>Waits while <see cref="MaxChunks"/> chunks are queued: the kernel's buffer takes the rest.</summary>
    private void Add(Chunk chunk)
    {
        while (!_stopping && !_ready.TryAdd(chunk, 20))
        {
        }
    }

    private byte[] Rent() => _free.TryTake(out var b) ? b : GC.AllocateUninitializedArray<byte>(ChunkSize);
}
