// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;
using CtdbPcmk.Linux;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// Hears from Corosync whether this node's partition has quorum. Each change runs
/// <c>onChange</c> on the loop thread with the new state. A node cut off from the majority learns
/// it here as soon as Corosync forms the new membership, before its links to the other nodes
/// are found dead, so it can stop taking writes that only it would hold.
/// <para>
/// Without Corosync, or with no quorum provider configured, the node counts as quorate and
/// nothing is reported (the daemon run on its own behaves as before). The connection is tried
/// again every <see cref="s_retryInterval"/>; while it is lost the last state stands.
/// </para>
/// </summary>
internal sealed unsafe class CorosyncQuorum : IEventHandler, IDisposable
{
    private static readonly TimeSpan s_retryInterval = TimeSpan.FromSeconds(5);

    // The notification runs inside quorum_dispatch, which only OnEvents calls, on the loop thread.
    private static CorosyncQuorum? s_dispatching;

    private readonly EventLoop _loop;
    private readonly Action<bool> _onChange;
    private readonly Serilog.ILogger _log;
    private readonly Interop.Quorum.Callbacks* _callbacks;
    private ulong _handle;
    private int _fd = -1;
    private bool _connected;
    private bool _unavailable;
    private bool _disposed;

    public CorosyncQuorum(EventLoop loop, Action<bool> onChange, Serilog.ILogger log)
    {
        _loop = loop;
        _onChange = onChange;
        _log = log;
        _callbacks = (Interop.Quorum.Callbacks*)NativeMemory.AllocZeroed((nuint)sizeof(Interop.Quorum.Callbacks));
        _callbacks->Notify = &OnNotify;
    }

    /// <summary>False only while Corosync says this node's partition has no quorum.</summary>
    public bool Quorate { get; private set; } = true;

    public void Start()
    {
        if (!TryConnect())
        {
            ScheduleRetry();
        }
    }

    public void OnEvents(uint events)
    {
        if (!_connected)
        {
            return;
        }
        int rc;
        s_dispatching = this;
        try
        {
            rc = Interop.Quorum.quorum_dispatch(_handle, Interop.Cpg.CS_DISPATCH_ALL);
        }
        finally
        {
            s_dispatching = null;
        }
        if (rc is Interop.Cpg.CS_OK or Interop.Cpg.CS_ERR_TRY_AGAIN)
        {
            return;
        }
        _log.Warning("Lost the connection to corosync's quorum service (error {Error}); quorate={Quorate} stands until it is back", rc, Quorate);
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
        NativeMemory.Free(_callbacks);
    }

    private bool TryConnect()
    {
        if (_disposed || _unavailable)
        {
            return true;
        }
        int rc;
        uint type;
        try
        {
            rc = Interop.Quorum.quorum_initialize(out _handle, _callbacks, out type);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            _unavailable = true;
            _log.Information("libquorum is not installed ({Message}): this node counts as quorate", e.Message);
            return true;
        }
        if (rc != Interop.Cpg.CS_OK)
        {
            return false;
        }
        if (type == Interop.Quorum.QUORUM_FREE)
        {
            _unavailable = true;
            FinalizeHandle();
            _log.Information("Corosync has no quorum provider: this node counts as quorate");
            return true;
        }
        if ((rc = Interop.Quorum.quorum_fd_get(_handle, out _fd)) != Interop.Cpg.CS_OK ||
            (rc = Interop.Quorum.quorum_trackstart(_handle, Interop.Quorum.CS_TRACK_CHANGES)) != Interop.Cpg.CS_OK ||
            (rc = Interop.Quorum.quorum_getquorate(_handle, out int quorate)) != Interop.Cpg.CS_OK)
        {
            _log.Debug("Setting up corosync's quorum tracking failed (error {Error}); trying again", rc);
            FinalizeHandle();
            _fd = -1;
            return false;
        }
        _loop.Register(_fd, this, Interop.Libc.EPOLLIN);
        _connected = true;
        _log.Information("Tracking corosync's quorum: {State}", quorate != 0 ? "quorate" : "no quorum");
        Changed(quorate != 0);
        return true;
    }

    private void Changed(bool quorate)
    {
        if (quorate == Quorate)
        {
            return;
        }
        Quorate = quorate;
        // After quorum_dispatch has returned: the handler sends packets and may run a recovery.
        _loop.Post(() => _onChange(quorate));
    }

    private void Disconnect()
    {
        if (!_connected)
        {
            return;
        }
        _connected = false;
        _loop.Unregister(_fd);
        FinalizeHandle();
        _fd = -1;
    }

    private void FinalizeHandle()
    {
        // Nothing to do on failure: the handle is gone either way, and a new one is made next time.
        if (Interop.Quorum.quorum_finalize(_handle) is var rc && rc != Interop.Cpg.CS_OK)
        {
            _log.Debug("quorum_finalize error {Error}", rc);
        }
    }

    private void ScheduleRetry()
    {
        if (_disposed)
        {
            return;
        }
        _loop.AddTimer(s_retryInterval, () =>
        {
            if (!_connected && !TryConnect())
            {
                ScheduleRetry();
            }
        });
    }

    [UnmanagedCallersOnly]
    private static void OnNotify(ulong handle, uint quorate, ulong ringSeq, uint viewListEntries, uint* viewList)
    {
        if (s_dispatching is not { } self)
        {
            return;
        }
        try
        {
            self.Changed(quorate != 0);
        }
        catch (Exception e)
        {
            // An exception must not unwind through libquorum's frames.
            self._log.Error(e, "Handling a corosync quorum change failed");
        }
    }
}
