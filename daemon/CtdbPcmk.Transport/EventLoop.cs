// SPDX-License-Identifier: GPL-3.0-or-later
using System.Collections.Concurrent;
using CtdbPcmk.Linux;
using static CtdbPcmk.Linux.Interop.Libc;

namespace CtdbPcmk.Transport;

/// <summary>
/// A single-threaded epoll reactor, the model ctdbd itself uses. All daemon state is touched
/// only from the loop thread, so the logic needs no locks; other threads hand work in with
/// <see cref="Post"/>. Timers run on the same thread.
/// </summary>
internal sealed unsafe class EventLoop : IDisposable
{
    private const int MaxEvents = 64;

    private readonly SafeFdHandle _epoll;
    private readonly SafeFdHandle _wakeFd;
    private readonly Dictionary<int, (IEventHandler Handler, uint Generation)> _handlers = new();
    private readonly PriorityQueue<LoopTimer, long> _timers = new();
    private readonly ConcurrentQueue<Action> _posted = new();
    private readonly List<IDeferredFlush> _deferred = new();
    private readonly TimeProvider _time;
    private uint _generation;
    private volatile bool _stopping;

    public EventLoop(TimeProvider time)
    {
        _time = time;
        int ep = epoll_create1(EPOLL_CLOEXEC);
        if (ep < 0)
        {
            throw LastError.AsIOException("epoll_create1");
        }
        _epoll = new SafeFdHandle(ep);
        int ev = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (ev < 0)
        {
            throw LastError.AsIOException("eventfd");
        }
        _wakeFd = new SafeFdHandle(ev);
        Control(EPOLL_CTL_ADD, ev, EPOLLIN, 0);
    }

    public TimeProvider Time => _time;

    /// <summary>The loop's clock in <see cref="TimeProvider"/> timestamp units.</summary>
    public long Now => _time.GetTimestamp();

    public int ThreadId { get; private set; }

    public void Register(int fd, IEventHandler handler, uint events)
    {
        uint gen = ++_generation;
        _handlers[fd] = (handler, gen);
        Control(EPOLL_CTL_ADD, fd, events, ((ulong)gen << 32) | (uint)fd);
    }

    public void Modify(int fd, uint events)
    {
        if (_handlers.TryGetValue(fd, out var h))
        {
            Control(EPOLL_CTL_MOD, fd, events, ((ulong)h.Generation << 32) | (uint)fd);
        }
    }

    /// <summary>Removes a descriptor before it is closed; events already fetched for it are dropped.</summary>
    public void Unregister(int fd)
    {
        if (_handlers.Remove(fd))
        {
            epoll_ctl(_epoll.Fd, EPOLL_CTL_DEL, fd, null);
        }
    }

    /// <summary>
    /// Asks for <see cref="IDeferredFlush.FlushDeferred"/> at the end of this wakeup, so that the
    /// replies to a batch of requests leave in one system call (loop thread only; callers ask once).
    /// </summary>
    public void DeferFlush(IDeferredFlush item) => _deferred.Add(item);

    public LoopTimer AddTimer(TimeSpan delay, Action callback)
    {
        long due = Now + (long)(delay.TotalSeconds * _time.TimestampFrequency);
        var t = new LoopTimer(due, callback);
        _timers.Enqueue(t, due);
        return t;
    }

    /// <summary>Runs <paramref name="action"/> on the loop thread. Safe from any thread.</summary>
    public void Post(Action action)
    {
        _posted.Enqueue(action);
        Wake();
    }

    public void Stop()
    {
        _stopping = true;
        Wake();
    }

    private void Wake()
    {
        ulong one = 1;
        write(_wakeFd.Fd, (byte*)&one, 8);
    }

    public void Run()
    {
        ThreadId = Environment.CurrentManagedThreadId;
        var events = stackalloc epoll_event[MaxEvents];
        while (!_stopping)
        {
            int n = epoll_wait(_epoll.Fd, events, MaxEvents, NextTimeout());
            if (n < 0)
            {
                if (LastError.Errno == Errno.EINTR)
                {
                    continue;
                }
                throw LastError.AsIOException("epoll_wait");
            }
            for (int i = 0; i < n; i++)
            {
                ulong data = events[i].data;
                if (data == 0)
                {
                    DrainWake();
                    continue;
                }
                int fd = (int)(uint)data;
                uint gen = (uint)(data >> 32);
                if (_handlers.TryGetValue(fd, out var h) && h.Generation == gen)
                {
                    h.Handler.OnEvents(events[i].events);
                }
            }
            RunTimers();
            RunDeferred();
        }
    }

    private void RunDeferred()
    {
        // A flush may close a connection whose owner then queues more: index, do not enumerate.
        for (int i = 0; i < _deferred.Count; i++)
        {
            _deferred[i].FlushDeferred();
        }
        _deferred.Clear();
    }

    private void DrainWake()
    {
        ulong value;
        read(_wakeFd.Fd, (byte*)&value, 8);
        while (_posted.TryDequeue(out var action))
        {
            action();
        }
    }

    private int NextTimeout()
    {
        while (_timers.TryPeek(out var t, out _) && t.Cancelled)
        {
            _timers.Dequeue();
        }
        if (!_timers.TryPeek(out _, out long due))
        {
            return -1;
        }
        long delta = due - Now;
        if (delta <= 0)
        {
            return 0;
        }
        // Round up so a timer never fires early.
        long ms = (delta * 1000 + _time.TimestampFrequency - 1) / _time.TimestampFrequency;
        return (int)Math.Min(ms, int.MaxValue);
    }

    private void RunTimers()
    {
        long now = Now;
        while (_timers.TryPeek(out var t, out long due) && due <= now)
        {
            _timers.Dequeue();
            if (!t.Cancelled)
            {
                t.Cancel();
                t.Callback();
            }
        }
    }

    private void Control(int op, int fd, uint events, ulong data)
    {
        var ev = new epoll_event { events = events, data = data };
        if (epoll_ctl(_epoll.Fd, op, fd, &ev) != 0)
        {
            throw LastError.AsIOException($"epoll_ctl({op}, fd {fd})");
        }
    }

    public void Dispose()
    {
        _wakeFd.Dispose();
        _epoll.Dispose();
    }
}
