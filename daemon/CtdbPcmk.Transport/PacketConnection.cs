// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Linux;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Transport;

/// <summary>
/// A non-blocking stream socket carrying CTDB packets: frames input by the leading length
/// field (framing knows nothing about packet meaning) and gathers output in one buffer that is
/// written at the end of the loop's wakeup (or earlier once it is large), so the answers to a
/// batch of requests leave in one system call and queueing allocates nothing per packet. Used
/// for client connections and for node links.
/// </summary>
internal sealed unsafe class PacketConnection : IEventHandler, IDeferredFlush
{
    private const int InitialBuffer = 16 * 1024;
    /// <summary>Output that is written at once rather than at the end of the wakeup.</summary>
    private const int FlushThreshold = 256 * 1024;
    /// <summary>
    /// A large packet's buffer grows by this factor as its bytes fill it: few steps (and little
    /// to throw away) from <see cref="InputBudget.Free"/> to 64 MiB, never more than this many
    /// times the bytes that arrived.
    /// </summary>
    private const int GrowthFactor = 4;
    /// <summary>Bytes read per wakeup before other descriptors get a turn.</summary>
    private const int ReadBudget = 1024 * 1024;

    private readonly EventLoop _loop;
    private readonly SafeFdHandle _fd;
    private IPacketSink _sink;
    private readonly FrameReader _in;
    private byte[] _out = Array.Empty<byte>();
    private int _outStart;
    private int _outEnd;
    private readonly OutputLimits _limits;
    private bool _wantWrite;
    private bool _flushDeferred;
    /// <summary>Input is not read: the peer leaves too much of its output unread.</summary>
    private bool _inputPaused;
    /// <summary>Input is not read: the owner holds it (<see cref="HoldInput"/>).</summary>
    private bool _inputHeld;
    /// <summary>The queue reached its maximum: closed at the end of this wakeup (not inside a caller's loop).</summary>
    private string? _overflow;
    /// <summary>Shares large packets' memory with the other connections of its kind; null: unbounded.</summary>
    private readonly InputBudget? _budget;
    /// <summary>The memory this connection reads a large packet into, under a reservation in <see cref="_budget"/>; null between large packets.</summary>
    private MappedMemory? _large;
    /// <summary>Bytes of <see cref="_budget"/> reserved for the large packet being read; 0 between large packets.</summary>
    private int _reservation;
    /// <summary>Input is not read: the next packet needs more of the budget than is free.</summary>
    private bool _inputWaiting;

    public PacketConnection(EventLoop loop, SafeFdHandle fd, IPacketSink sink, int maxPacket = WireFormat.MaxPacketSize,
        OutputLimits queueLimits = default, InputBudget? budget = null)
    {
        _loop = loop;
        _fd = fd;
        _sink = sink;
        _limits = queueLimits;
        _budget = budget;
        _in = new FrameReader(InitialBuffer, maxPacket);
        loop.Register(fd.Fd, this, EPOLLIN | EPOLLRDHUP);
    }

    public bool IsClosed { get; private set; }

    /// <summary>Input is read and handed on (not paused by the output queue, held by the owner or waiting for memory).</summary>
    private bool ReadsInput => !_inputPaused && !_inputHeld && !_inputWaiting;

    /// <summary>The owner holds the input (<see cref="HoldInput"/>): not the peer's doing.</summary>
    internal bool IsHeldByOwner => _inputHeld;

    /// <summary>Closed by its <see cref="InputBudget"/> when it stalls inside a large packet while others wait (clients).</summary>
    internal bool ClosesOnStall { get; init; }

    /// <summary>Bytes read from the socket so far.</summary>
    internal long BytesRead { get; private set; }

    /// <summary>The packet length this connection waits to reserve in its <see cref="InputBudget"/>.</summary>
    internal int WaitingFor { get; set; }

    /// <summary>The budget reserved what this connection waited for: input is read again.</summary>
    internal void Reserved()
    {
        _reservation = WaitingFor;
        WaitingFor = 0;
        _inputWaiting = false;
        if (!IsClosed)
        {
            UpdateInterest();
        }
    }

    /// <summary>
    /// Before the input buffer grows past <see cref="InputBudget.Free"/>: the packet's whole
    /// length is reserved in the budget (false: it waits), then the buffer grows into one the
    /// budget lends.
    /// </summary>
    private bool HasRoomForLargePacket()
    {
        if (_budget is null)
        {
            return true;
        }
        int declared = _in.LargeGrowth(InputBudget.Free);
        if (declared == 0)
        {
            return true;
        }
        if (_reservation < declared)
        {
            EndReservation();
            if (!_budget.TryReserve(this, declared))
            {
                _inputWaiting = true;
                UpdateInterest();
                return false;
            }
            _reservation = declared;
        }
        var buffer = new MappedMemory((int)Math.Min(declared, GrowthFactor * (long)_in.Buffer.Length));
        var before = _in.Buffer;
        _in.Adopt(buffer.Memory);
        if (_large is not null && IsLarge(before))
        {
            ((IDisposable)_large).Dispose(); // the packet goes on in the larger buffer, under the same reservation
        }
        else
        {
            LargeBuffers.Dropped(before.Length);
        }
        _large = buffer;
        return true;
    }

    /// <summary>Once the packets read are handled, a large input buffer is given back, and the reservation with it.</summary>
    private void TrimInput()
    {
        if (_in.Trim() is { } released)
        {
            LetGo(released);
        }
    }

    /// <summary>The input buffer <paramref name="buffer"/> is no longer used: unmapped, with its reservation ended, if it held a large packet, else garbage.</summary>
    private void LetGo(Memory<byte> buffer)
    {
        if (_large is { } large && IsLarge(buffer))
        {
            _large = null;
            ((IDisposable)large).Dispose();
            EndReservation();
        }
        else
        {
            LargeBuffers.Dropped(buffer.Length);
        }
    }

    /// <summary><paramref name="buffer"/> is the memory mapped for this connection's large packet.</summary>
    private bool IsLarge(Memory<byte> buffer) => _large is not null && buffer.Equals(_large.Memory);

    private void EndReservation()
    {
        if (_reservation > 0)
        {
            int reservation = _reservation;
            _reservation = 0;
            _budget!.Release(this, reservation);
        }
    }

    /// <summary>
    /// Stops reading the peer's input until <see cref="ReleaseInput"/>: its requests wait in the
    /// socket, and packets already read are handed on no further. A hang-up still closes it.
    /// </summary>
    public void HoldInput()
    {
        if (_inputHeld || IsClosed)
        {
            return;
        }
        _inputHeld = true;
        UpdateInterest();
    }

    /// <summary>Reads input again after <see cref="HoldInput"/>; packets already read are handed on next.</summary>
    public void ReleaseInput()
    {
        if (!_inputHeld || IsClosed)
        {
            return;
        }
        _inputHeld = false;
        UpdateInterest();
        PostDeliver();
    }

    /// <summary>Bytes queued and not yet accepted by the socket.</summary>
    public long QueuedBytes => _outEnd - _outStart;

    /// <summary>Free-form owner state (the client or node this connection belongs to).</summary>
    public object? Owner { get; set; }

    public int Fd => _fd.Fd;

    /// <summary>Who hears of this connection's packets; a node link's handshake hands it on once the link is authenticated.</summary>
    public IPacketSink Sink
    {
        get => _sink;
        set => _sink = value;
    }

    /// <summary>
    /// Set once a node link is authenticated: every packet sent from then on is sealed, every
    /// frame read from then on (already buffered ones included) is opened before the sink sees
    /// it. Disposed with the connection.
    /// </summary>
    public ILinkProtection? Protection { get; set; }

    public void OnEvents(uint events)
    {
        if ((events & EPOLLOUT) != 0)
        {
            Flush();
        }
        if (IsClosed)
        {
            return;
        }
        if (!ReadsInput)
        {
            // Input waits, but a peer that hung up or failed is gone: nothing more is owed to it.
            if ((events & (EPOLLHUP | EPOLLERR | EPOLLRDHUP)) != 0)
            {
                Close(null, flush: false);
            }
            return;
        }
        if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR | EPOLLRDHUP)) != 0)
        {
            Receive();
        }
    }

    /// <summary>Queues one packet (already padded); it leaves at the end of this loop wakeup at the latest.</summary>
    public void Send(ReadOnlySpan<byte> packet)
    {
        if (IsClosed || _overflow is not null)
        {
            return;
        }
        if (_limits.Maximum > 0 && QueuedBytes + packet.Length > _limits.Maximum)
        {
            _overflow = $"{QueuedBytes} bytes queued and not read, the limit is {_limits.Maximum}";
            if (!_flushDeferred)
            {
                _flushDeferred = true;
                _loop.DeferFlush(this);
            }
            return;
        }
        if (Protection is { } protection)
        {
            int size = packet.Length + protection.Overhead;
            if (size > WireFormat.MaxPacketSize)
            {
                _overflow = $"a packet of {packet.Length} bytes does not fit an authenticated frame";
                if (!_flushDeferred)
                {
                    _flushDeferred = true;
                    _loop.DeferFlush(this);
                }
                return;
            }
            protection.Seal(packet, Reserve(size));
        }
        else
        {
            Append(packet);
        }
        if (_limits.Pause > 0 && !_inputPaused && QueuedBytes > _limits.Pause)
        {
            _inputPaused = true;
            UpdateInterest();
            _sink.OnPaused(this, QueuedBytes);
        }
        if (_wantWrite)
        {
            return; // EPOLLOUT drains it
        }
        if (_outEnd - _outStart >= FlushThreshold)
        {
            Flush();
        }
        else if (!_flushDeferred)
        {
            _flushDeferred = true;
            _loop.DeferFlush(this);
        }
    }

    void IDeferredFlush.FlushDeferred()
    {
        _flushDeferred = false;
        if (!IsClosed && _overflow is not null)
        {
            Close(_overflow, flush: false);
            return;
        }
        if (!IsClosed && !_wantWrite)
        {
            Flush();
        }
    }

    private void Append(ReadOnlySpan<byte> data) => data.CopyTo(Reserve(data.Length));

    /// <summary>The next <paramref name="size"/> bytes of the output queue, counted as queued.</summary>
    private Span<byte> Reserve(int size)
    {
        if (_out.Length - _outEnd < size)
        {
            int have = _outEnd - _outStart;
            int need = have + size;
            var target = need <= _out.Length ? _out : new byte[Math.Max(need, Math.Max(InitialBuffer, _out.Length * 2))];
            Buffer.BlockCopy(_out, _outStart, target, 0, have);
            if (!ReferenceEquals(target, _out))
            {
                LargeBuffers.Dropped(_out.Length);
            }
            _out = target;
            _outStart = 0;
            _outEnd = have;
        }
        var span = _out.AsSpan(_outEnd, size);
        _outEnd += size;
        return span;
    }

    /// <summary>-1: the connection failed and is closed; otherwise the bytes taken (0 when the socket is full).</summary>
    private int SendSome(ReadOnlySpan<byte> data, bool closeOnError = true)
    {
        fixed (byte* p = data)
        {
            while (true)
            {
                nint n = send(_fd.Fd, p, data.Length, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n >= 0)
                {
                    return (int)n;
                }
                var errno = LastError.Errno;
                if (errno == Errno.EINTR)
                {
                    continue;
                }
                if (errno == Errno.EAGAIN)
                {
                    return 0;
                }
                if (closeOnError)
                {
                    Close($"send failed (errno {(int)errno})", flush: false);
                }
                return -1;
            }
        }
    }

    private void Flush()
    {
        while (_outStart < _outEnd)
        {
            int sent = SendSome(_out.AsSpan(_outStart, _outEnd - _outStart));
            if (sent < 0)
            {
                return;
            }
            if (sent == 0)
            {
                break;
            }
            _outStart += sent;
        }
        if (_outStart < _outEnd)
        {
            if (!_wantWrite)
            {
                _wantWrite = true;
                UpdateInterest();
            }
            ResumeIfDrained();
            return;
        }
        _outStart = _outEnd = 0;
        if (_out.Length > FlushThreshold * 4)
        {
            LargeBuffers.Dropped(_out.Length);
            _out = Array.Empty<byte>(); // a burst is over: give its memory back
        }
        if (_wantWrite)
        {
            _wantWrite = false;
            UpdateInterest();
        }
        ResumeIfDrained();
    }

    /// <summary>Input is read again once the queue is down to half the pause limit; packets already read are handled next.</summary>
    private void ResumeIfDrained()
    {
        if (!_inputPaused || IsClosed || QueuedBytes > _limits.Pause / 2)
        {
            return;
        }
        _inputPaused = false;
        UpdateInterest();
        PostDeliver();
    }

    private void PostDeliver() =>
        _loop.Post(() =>
        {
            if (!IsClosed && ReadsInput)
            {
                Deliver();
                FlushAnswers();
            }
        });

    private void UpdateInterest() =>
        _loop.Modify(_fd.Fd, EPOLLRDHUP | (ReadsInput ? EPOLLIN : 0u) | (_wantWrite ? EPOLLOUT : 0u));

    private void Receive()
    {
        int budget = ReadBudget;
        while (budget > 0 && !IsClosed && ReadsInput)
        {
            if (!HasRoomForLargePacket())
            {
                FlushAnswers();
                return;
            }
            var before = _in.Buffer;
            var room = _in.FreeSpace();
            if (!before.Equals(_in.Buffer))
            {
                LetGo(before);
            }
            if (_large is not null && _in.FrontRemaining > 0)
            {
                // Only this packet goes into the budget's buffer: once it is handled the buffer
                // is free to go back, with nothing of the next packet in it.
                room = room[..Math.Min(room.Length, _in.FrontRemaining)];
            }
            nint n;
            fixed (byte* p = room)
            {
                n = recv(_fd.Fd, p, room.Length, MSG_DONTWAIT);
            }
            if (n > 0)
            {
                _in.Advance((int)n);
                BytesRead += n;
                budget -= (int)n;
                Deliver();
                if (n < room.Length)
                {
                    // A stream socket returns all it holds: a short read emptied it. The epoll
                    // registration is level-triggered, so later bytes (or the end of the
                    // stream) wake the loop again; another recv now would only say EAGAIN.
                    FlushAnswers();
                    return;
                }
                continue;
            }
            if (n == 0)
            {
                Close(null);
                return;
            }
            var errno = LastError.Errno;
            if (errno == Errno.EINTR)
            {
                continue;
            }
            if (errno == Errno.ECONNRESET)
            {
                Close(null); // the peer went away with data unread: an ordinary disconnect
            }
            else if (errno != Errno.EAGAIN)
            {
                Close($"recv failed (errno {(int)errno})");
            }
            else
            {
                FlushAnswers();
            }
            return;
        }
    }

    /// <summary>
    /// Once all this peer sent is handled, what it is owed leaves at once rather than at the end
    /// of the wakeup: the batch is complete (one system call for all of it, as before), and a
    /// client waiting for its reply need not wait for the other connections of this wakeup to be
    /// served too. Output queued for it later in the wakeup still leaves at the end.
    /// </summary>
    private void FlushAnswers()
    {
        if (!IsClosed && !_wantWrite && _outEnd > _outStart)
        {
            Flush();
        }
    }

    private void Deliver()
    {
        while (!IsClosed && ReadsInput)
        {
            int offset, length;
            try
            {
                if (!_in.TryTake(out offset, out length))
                {
                    TrimInput();
                    return;
                }
                ReadOnlySpan<byte> frame = _in.Buffer.Span.Slice(offset, length);
                _sink.OnPacket(this, Protection is { } protection ? protection.Open(frame) : frame);
            }
            catch (ProtocolException e)
            {
                Close($"malformed packet: {e.Message}");
                return;
            }
        }
    }

    /// <summary>
    /// Closes the socket once; the sink hears about it. Output still queued gets one
    /// non-blocking attempt first, so a last reply is not lost to the batching.
    /// </summary>
    public void Close(string? reason) => Close(reason, flush: true);

    private void Close(string? reason, bool flush)
    {
        if (IsClosed)
        {
            return;
        }
        while (flush && _outStart < _outEnd)
        {
            int sent = SendSome(_out.AsSpan(_outStart, _outEnd - _outStart), closeOnError: false);
            if (sent <= 0)
            {
                break;
            }
            _outStart += sent;
        }
        IsClosed = true;
        _loop.Unregister(_fd.Fd);
        _fd.Dispose();
        LargeBuffers.Dropped(_out.Length);
        _out = Array.Empty<byte>();
        _outStart = _outEnd = 0;
        if (!IsLarge(_in.Buffer))
        {
            LargeBuffers.Dropped(_in.Buffer.Length);
        }
        if (_large is not null)
        {
            LetGo(_large.Memory);
        }
        if (_reservation > 0)
        {
            EndReservation();
        }
        else if (_inputWaiting)
        {
            _budget!.Leave(this);
        }
        Protection?.Dispose();
        _sink.OnClosed(this, reason);
    }
}
