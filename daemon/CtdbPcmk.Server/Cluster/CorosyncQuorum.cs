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
/// again (<see cref="CorosyncConnection"/>); while it is lost the last state stands.
/// </para>
/// </summary>
internal sealed unsafe class CorosyncQuorum : CorosyncConnection
{
    // The notification runs inside quorum_dispatch, which only Dispatch calls, on the loop thread.
    private static CorosyncQuorum? s_dispatching;

    private readonly Action<bool> _onChange;
    private readonly Interop.Quorum.Callbacks* _callbacks;
    private ulong _handle;

    public CorosyncQuorum(EventLoop loop, Action<bool> onChange, Serilog.ILogger log)
        : base(loop, log)
    {
        _onChange = onChange;
        _callbacks = (Interop.Quorum.Callbacks*)NativeMemory.AllocZeroed((nuint)sizeof(Interop.Quorum.Callbacks));
        _callbacks->Notify = &OnNotify;
    }

    /// <summary>False only while Corosync says this node's partition has no quorum.</summary>
    public bool Quorate { get; private set; } = true;

    /// <summary>When Corosync last notified a quorum or membership change, in Environment.TickCount64 ms.</summary>
    public long LastChange { get; private set; } = long.MinValue / 2;

    /// <summary>
    /// Asks Corosync for its quorum now, ahead of a notification still on its way (the
    /// notification of a membership change may come after the group's own). Null when Corosync
    /// is not reached; a change found so is handled as a notification would be.
    /// </summary>
    public bool? AskNow()
    {
        if (!IsConnected || Interop.Quorum.quorum_getquorate(_handle, out int quorate) != Interop.Cpg.CS_OK)
        {
            return null;
        }
        Changed(quorate != 0);
        return quorate != 0;
    }

    protected override int Dispatch()
    {
        s_dispatching = this;
        try
        {
            return Interop.Quorum.quorum_dispatch(_handle, Interop.Cpg.CS_DISPATCH_ALL);
        }
        finally
        {
            s_dispatching = null;
        }
    }

    protected override void ConnectionLost(int rc) =>
        Log.Warning("Lost the connection to corosync's quorum service (error {Error}); quorate={Quorate} stands until it is back", rc, Quorate);

    protected override void Free() => NativeMemory.Free(_callbacks);

    protected override OpenResult Open(out int fd)
    {
        fd = -1;
        int rc;
        uint type;
        try
        {
            rc = Interop.Quorum.quorum_initialize(out _handle, _callbacks, out type);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Log.Information("libquorum is not installed ({Message}): this node counts as quorate", e.Message);
            return OpenResult.Unavailable;
        }
        if (rc != Interop.Cpg.CS_OK)
        {
            return OpenResult.Retry;
        }
        if (type == Interop.Quorum.QUORUM_FREE)
        {
            Close();
            Log.Information("Corosync has no quorum provider: this node counts as quorate");
            return OpenResult.Unavailable;
        }
        if ((rc = Interop.Quorum.quorum_fd_get(_handle, out fd)) != Interop.Cpg.CS_OK ||
            (rc = Interop.Quorum.quorum_trackstart(_handle, Interop.Quorum.CS_TRACK_CHANGES)) != Interop.Cpg.CS_OK ||
            (rc = Interop.Quorum.quorum_getquorate(_handle, out int quorate)) != Interop.Cpg.CS_OK)
        {
            Log.Debug("Setting up corosync's quorum tracking failed (error {Error}); trying again", rc);
            Close();
            return OpenResult.Retry;
        }
        Log.Information("Tracking corosync's quorum: {State}", quorate != 0 ? "quorate" : "no quorum");
        Changed(quorate != 0);
        return OpenResult.Connected;
    }

    protected override void Close()
    {
        // Nothing to do on failure: the handle is gone either way, and a new one is made next time.
        if (Interop.Quorum.quorum_finalize(_handle) is var rc && rc != Interop.Cpg.CS_OK)
        {
            Log.Debug("quorum_finalize error {Error}", rc);
        }
    }

    private void Changed(bool quorate)
    {
        if (quorate == Quorate)
        {
            return;
        }
        LastChange = Environment.TickCount64;
        Quorate = quorate;
        // After quorum_dispatch has returned: the handler sends packets and may run a recovery.
        Loop.Post(() => _onChange(quorate));
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
            self.LastChange = Environment.TickCount64;
            self.Changed(quorate != 0);
        }
        catch (Exception e)
        {
            // An exception must not unwind through libquorum's frames.
            self.Log.Error(e, "Handling a corosync quorum change failed");
        }
    }
}
