// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;
using System.Text;
using CtdbPcmk.Linux;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// Hears from Corosync when a cluster member goes. Every daemon joins one closed process group
/// (CPG); when Corosync reports a member of it gone (its node lost from the membership, or its
/// process ended), <c>onMemberLeft</c> runs on the loop thread. Corosync notices a powered-off
/// node within its token timeout, where the daemon's own keepalives would need
/// KeepaliveInterval × KeepaliveLimit (25 s by default), and a silent node holds up every
/// record it was the data master of until then. A node Corosync lost from the membership is
/// also held off (<c>hold</c>, see <see cref="CorosyncRoster"/>) until its daemon is back in it.
/// <para>
/// Without Corosync (a daemon run on its own, or Corosync not yet up) nothing is reported and
/// keepalives alone detect lost nodes; the group is joined again (<see cref="CorosyncConnection"/>)
/// until Corosync answers, and after Corosync restarts.
/// </para>
/// </summary>
internal sealed unsafe class CorosyncMembership : CorosyncConnection
{
    /// <summary>The group every ctdb-pcmkd of the cluster joins.</summary>
    public const string GroupName = "ctdb-pcmkd";

    // The configuration-change callback runs inside cpg_dispatch, which only Dispatch calls, on
    // the loop thread: this is the instance it belongs to.
    private static CorosyncMembership? s_dispatching;

    private readonly Action<string> _onMemberLeft;
    private readonly Action<uint, string?> _hold;
    private readonly CorosyncRoster _roster;
    private readonly Interop.Cpg.Callbacks* _callbacks;
    private ulong _handle;
    private uint _localNode;
    private bool _reportedDown;

    public CorosyncMembership(EventLoop loop, uint pnn, Action<string> onMemberLeft, Action<uint, string?> hold,
        Serilog.ILogger log)
        : base(loop, log)
    {
        _onMemberLeft = onMemberLeft;
        _hold = hold;
        _roster = new CorosyncRoster(pnn);
        _callbacks = (Interop.Cpg.Callbacks*)NativeMemory.AllocZeroed((nuint)sizeof(Interop.Cpg.Callbacks));
        _callbacks->Deliver = &OnDeliver;
        _callbacks->ConfigurationChange = &OnConfigurationChange;
    }

    protected override int Dispatch()
    {
        s_dispatching = this;
        try
        {
            return Interop.Cpg.cpg_dispatch(_handle, Interop.Cpg.CS_DISPATCH_ALL);
        }
        finally
        {
            s_dispatching = null;
        }
    }

    protected override void ConnectionLost(int rc) =>
        Log.Warning("Lost the connection to corosync (cpg_dispatch error {Error}); lost nodes are found by keepalives until it is back", rc);

    protected override void Free() => NativeMemory.Free(_callbacks);

    protected override OpenResult Open(out int fd)
    {
        fd = -1;
        int rc;
        try
        {
            rc = Interop.Cpg.cpg_initialize(out _handle, _callbacks);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Log.Information("libcpg is not installed ({Message}): lost nodes are found by keepalives only", e.Message);
            return OpenResult.Unavailable;
        }
        if (rc != Interop.Cpg.CS_OK)
        {
            if (!_reportedDown)
            {
                _reportedDown = true;
                Log.Information("Corosync does not answer (cpg_initialize error {Error}): lost nodes are found by keepalives until it does", rc);
            }
            return OpenResult.Retry;
        }
        var name = default(Interop.Cpg.CpgName);
        var bytes = Encoding.ASCII.GetBytes(GroupName);
        name.Length = (uint)bytes.Length;
        bytes.CopyTo(new Span<byte>(name.Value, Interop.Cpg.CPG_MAX_NAME_LENGTH));
        if ((rc = Interop.Cpg.cpg_join(_handle, &name)) != Interop.Cpg.CS_OK ||
            (rc = Interop.Cpg.cpg_fd_get(_handle, out fd)) != Interop.Cpg.CS_OK)
        {
            Log.Debug("Joining the corosync group {Group} failed (error {Error}); trying again", GroupName, rc);
            Close();
            return OpenResult.Retry;
        }
        Interop.Cpg.cpg_local_get(_handle, out _localNode);
        _roster.Rejoined();
        _reportedDown = false;
        Log.Information("Joined the corosync group {Group} as corosync node {Node}: lost nodes are reported at once", GroupName, _localNode);
        return OpenResult.Connected;
    }

    protected override void Close()
    {
        // Nothing to do on failure: the handle is gone either way, and a new one is made next time.
        if (Interop.Cpg.cpg_finalize(_handle) is var rc && rc != Interop.Cpg.CS_OK)
        {
            Log.Debug("cpg_finalize error {Error}", rc);
        }
    }

    private void MembersChanged(ReadOnlySpan<Interop.Cpg.CpgAddress> left, ReadOnlySpan<Interop.Cpg.CpgAddress> joined)
    {
        LastChange = Environment.TickCount64;
        if (!joined.IsEmpty)
        {
            // A newcomer (this daemon included, once its join is done) learns every member's PNN.
            Loop.Post(Announce);
        }
        if (!left.IsEmpty)
        {
            MembersLeft(left);
        }
    }

    private void MembersLeft(ReadOnlySpan<Interop.Cpg.CpgAddress> left)
    {
        var gone = new List<string>();
        foreach (var member in left)
        {
            if (member.NodeId == _localNode && member.Pid == (uint)Environment.ProcessId)
            {
                continue;
            }
            gone.Add($"node {member.NodeId} {Describe(member.Reason)}");
            if (_roster.Left(member.NodeId, member.Reason == Interop.Cpg.CPG_REASON_NODEDOWN) is { } change)
            {
                Loop.Post(() => _hold(change.Pnn, change.Reason));
            }
        }
        if (gone.Count == 0)
        {
            return;
        }
        var why = "corosync reported " + string.Join(", ", gone);
        Log.Information("{Why}: checking the links to every node", why);
        // After cpg_dispatch has returned: the handler sends packets and may run a recovery.
        Loop.Post(() => _onMemberLeft(why));
    }

    /// <summary>
    /// True while this node's Corosync holds the daemon of <paramref name="pnn"/> in the group
    /// (false when Corosync is not reached: it then holds nothing this daemon knows of).
    /// </summary>
    public bool HoldsDaemonOf(uint pnn) => IsConnected && _roster.HoldsDaemonOf(pnn);

    /// <summary>When the group last changed (a member left or joined, or announced itself), in Environment.TickCount64 ms.</summary>
    public long LastChange { get; private set; } = long.MinValue / 2;

    /// <summary>Tells the group which PNN this daemon is.</summary>
    private void Announce()
    {
        if (!IsConnected)
        {
            return;
        }
        var data = _roster.Announcement();
        int rc;
        fixed (byte* p = data)
        {
            var iov = new Interop.Cpg.IoVec { Base = p, Length = (nuint)data.Length };
            rc = Interop.Cpg.cpg_mcast_joined(_handle, Interop.Cpg.CPG_TYPE_AGREED, &iov, 1);
        }
        if (rc == Interop.Cpg.CS_ERR_TRY_AGAIN)
        {
            Loop.AddTimer(TimeSpan.FromMilliseconds(100), Announce);
        }
        else if (rc != Interop.Cpg.CS_OK)
        {
            Log.Warning("Telling the corosync group this node's PNN failed (error {Error})", rc);
        }
    }

    private void Delivered(uint nodeId, ReadOnlySpan<byte> message)
    {
        LastChange = Environment.TickCount64;
        if (_roster.Delivered(nodeId, message) is { } change)
        {
            Log.Information("Corosync node {Node} is back in the membership", nodeId);
            Loop.Post(() => _hold(change.Pnn, null));
        }
    }

    private static string Describe(uint reason) => reason switch
    {
        Interop.Cpg.CPG_REASON_NODEDOWN => "down",
        Interop.Cpg.CPG_REASON_PROCDOWN => "(its daemon ended)",
        Interop.Cpg.CPG_REASON_LEAVE => "(its daemon left)",
        _ => $"gone (reason {reason})",
    };

    [UnmanagedCallersOnly]
    private static void OnDeliver(ulong handle, Interop.Cpg.CpgName* group, uint nodeId, uint pid, void* message, nuint length)
    {
        if (s_dispatching is not { } self || length > CorosyncRoster.AnnouncementSize)
        {
            return;
        }
        try
        {
            self.Delivered(nodeId, new ReadOnlySpan<byte>(message, (int)length));
        }
        catch (Exception e)
        {
            // An exception must not unwind through libcpg's frames.
            self.Log.Error(e, "Handling a corosync group message failed");
        }
    }

    [UnmanagedCallersOnly]
    private static void OnConfigurationChange(ulong handle, Interop.Cpg.CpgName* group,
        Interop.Cpg.CpgAddress* members, nuint memberCount,
        Interop.Cpg.CpgAddress* left, nuint leftCount,
        Interop.Cpg.CpgAddress* joined, nuint joinedCount)
    {
        if (s_dispatching is not { } self || (leftCount == 0 && joinedCount == 0))
        {
            return;
        }
        try
        {
            self.MembersChanged(new ReadOnlySpan<Interop.Cpg.CpgAddress>(left, checked((int)leftCount)),
                new ReadOnlySpan<Interop.Cpg.CpgAddress>(joined, checked((int)joinedCount)));
        }
        catch (Exception e)
        {
            // An exception must not unwind through libcpg's frames.
            self.Log.Error(e, "Handling a corosync membership change failed");
        }
    }
}
