// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// The life of a connection to one Corosync service (CPG, quorum) driven from the loop: opened
/// at start or retried every <see cref="s_retryInterval"/> while Corosync does not answer, its fd
/// watched by the loop, dispatched on each event, and opened again when Corosync goes away.
/// A service whose library is not installed, or that Corosync does not offer, is given up for
/// good. Subclasses open, dispatch and close the service's handle.
/// </summary>
internal abstract class CorosyncConnection(EventLoop loop, Serilog.ILogger log) : IEventHandler, IDisposable
{
    private static readonly TimeSpan s_retryInterval = TimeSpan.FromSeconds(5);

    private bool _unavailable;
    private bool _disposed;
    private int _fd = -1;

    /// <summary>What <see cref="Open"/> made of its attempt.</summary>
    protected enum OpenResult
    {
        /// <summary>Open, with its fd: the loop watches it.</summary>
        Connected,

        /// <summary>Not now (Corosync not up yet): tried again later; the handle is closed.</summary>
        Retry,

        /// <summary>Never here (no library, no such service): not tried again.</summary>
        Unavailable,
    }

    protected EventLoop Loop => loop;

    protected Serilog.ILogger Log => log;

    /// <summary>True while the service is open and its fd watched.</summary>
    public bool IsConnected { get; private set; }

    /// <summary>Opens the service now, or keeps trying in the background.</summary>
    public void Start()
    {
        if (!TryConnect())
        {
            ScheduleRetry();
        }
    }

    public void OnEvents(uint events)
    {
        if (!IsConnected)
        {
            return;
        }
        int rc = Dispatch();
        if (rc is Interop.Cpg.CS_OK or Interop.Cpg.CS_ERR_TRY_AGAIN)
        {
            return;
        }
        ConnectionLost(rc);
        Disconnect();
        ScheduleRetry();
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        Disconnect();
        Free();
    }

    /// <summary>Opens the service's handle; on <see cref="OpenResult.Connected"/>, <paramref name="fd"/> is its fd.</summary>
    protected abstract OpenResult Open(out int fd);

    /// <summary>Runs the handle's dispatch (its callbacks run inside); a Corosync error code.</summary>
    protected abstract int Dispatch();

    /// <summary>Closes the handle (after a failed open, on a lost connection, on dispose).</summary>
    protected abstract void Close();

    /// <summary>Logs that Corosync went away (dispatch error <paramref name="rc"/>).</summary>
    protected abstract void ConnectionLost(int rc);

    /// <summary>Frees what the instance holds for its life (callbacks), once, after the last close.</summary>
    protected virtual void Free()
    {
    }

    private bool TryConnect()
    {
        if (_disposed || _unavailable)
        {
            return true;
        }
        switch (Open(out int fd))
        {
            case OpenResult.Unavailable:
                _unavailable = true;
                return true;
            case OpenResult.Retry:
                return false;
        }
        _fd = fd;
        loop.Register(_fd, this, Interop.Libc.EPOLLIN);
        IsConnected = true;
        return true;
    }

    private void Disconnect()
    {
        if (!IsConnected)
        {
            return;
        }
        IsConnected = false;
        loop.Unregister(_fd);
        Close();
        _fd = -1;
    }

    private void ScheduleRetry()
    {
        if (_disposed)
        {
            return;
        }
        loop.AddTimer(s_retryInterval, () =>
        {
            if (!IsConnected && !TryConnect())
            {
                ScheduleRetry();
            }
        });
    }
}
