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
/// record it was the data master of until then.
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
    private readonly Interop.Cpg.Callbacks* _callbacks;
    private ulong _handle;
    private uint _localNode;
    private bool _reportedDown;

    public CorosyncMembership(EventLoop loop, Action<string> onMemberLeft, Serilog.ILogger log)
        : base(loop, log)
    {
        _onMemberLeft = onMemberLeft;
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
        // No messages are sent to the group: membership is all it is for.
    }

    [UnmanagedCallersOnly]
    private static void OnConfigurationChange(ulong handle, Interop.Cpg.CpgName* group,
        Interop.Cpg.CpgAddress* members, nuint memberCount,
        Interop.Cpg.CpgAddress* left, nuint leftCount,
        Interop.Cpg.CpgAddress* joined, nuint joinedCount)
    {
        if (s_dispatching is not { } self || leftCount == 0)
        {
            return;
        }
        try
        {
            self.MembersLeft(new ReadOnlySpan<Interop.Cpg.CpgAddress>(left, checked((int)leftCount)));
        }
        catch (Exception e)
        {
            // An exception must not unwind through libcpg's frames.
            self.Log.Error(e, "Handling a corosync membership change failed");
        }
    }
}
