// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Tests;

public sealed class BasicControlTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public BasicControlTests(DaemonFixture daemon) => _daemon = daemon;

    [Fact]
    public void GetPnn_answers_in_status_and_ping_counts_clients()
    {
        using var a = _daemon.Connect();
        using var b = _daemon.Connect();
        Assert.Equal(0u, a.GetPnn());
        b.GetPnn();
        Assert.True(a.Ping() >= 2);
        Assert.Equal(Environment.ProcessId, a.GetPid());
    }

    [Fact]
    public void Nodemap_vnnmap_runstate_and_recmode_describe_a_running_single_node()
    {
        using var c = _daemon.Connect();
        var nodes = c.GetNodeMap();
        Assert.Single(nodes);
        Assert.Equal(0u, nodes[0].Flags);
        Assert.Equal(Protocol.RunState.Running, (Protocol.RunState)(uint)c.GetRunState());
        Assert.Equal(0, (int)c.GetRecMode());
        var vnn = c.Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default);
        Assert.Equal(0, vnn.Status);
        var map = VnnMap.Read(vnn.Data);
        Assert.NotEqual(WireFormat.InvalidGeneration, map.Generation);
        Assert.Equal(new uint[] { 0 }, map.Map);
    }

    [Fact]
    public void Unknown_control_gets_an_error_and_the_connection_stays_usable()
    {
        using var c = _daemon.Connect();
        var r = c.Control((ControlOpcode)9999, WireFormat.CurrentNode, default);
        Assert.Equal(-1, r.Status);
        Assert.Contains("9999", r.ErrorMessage);
        Assert.Equal(0u, c.GetPnn());
    }

    [Fact]
    public void Control_to_a_node_that_does_not_exist_says_disconnected()
    {
        using var c = _daemon.Connect();
        var r = c.Control(ControlOpcode.Ping, 5, default);
        Assert.Equal(-1, r.Status);
        Assert.Equal("ctdb_control to disconnected node", r.ErrorMessage);
    }

    [Fact]
    public void Tunables_list_get_and_set_follow_ctdbd()
    {
        using var c = _daemon.Connect();
        var list = c.Control(ControlOpcode.ListTunables, WireFormat.CurrentNode, default);
        var names = VarList.Read(list.Data).Names;
        Assert.Equal(49, names.Count);
        Assert.Equal("SeqnumInterval", names[0]);

        Span<byte> get = new byte[StringN.GetEncodedSize("KeepaliveInterval")];
        StringN.Write(get, "KeepaliveInterval");
        var r = c.Control(ControlOpcode.GetTunable, WireFormat.CurrentNode, get);
        Assert.Equal(5u, BinaryPrimitives.ReadUInt32LittleEndian(r.Data));

        var set = new TunableValue(7, "KeepaliveInterval");
        var setData = new byte[set.EncodedSize];
        set.Write(setData);
        Assert.Equal(0, c.Control(ControlOpcode.SetTunable, WireFormat.CurrentNode, setData).Status);
        r = c.Control(ControlOpcode.GetTunable, WireFormat.CurrentNode, get);
        Assert.Equal(7u, BinaryPrimitives.ReadUInt32LittleEndian(r.Data));

        var obsolete = new TunableValue(1, "MaxRedirectCount");
        var obsData = new byte[obsolete.EncodedSize];
        obsolete.Write(obsData);
        Assert.Equal(1, c.Control(ControlOpcode.SetTunable, WireFormat.CurrentNode, obsData).Status);

        Span<byte> bad = new byte[StringN.GetEncodedSize("NoSuchTunable")];
        StringN.Write(bad, "NoSuchTunable");
        Assert.Equal(-22, c.Control(ControlOpcode.GetTunable, WireFormat.CurrentNode, bad).Status);
    }

    [Fact]
    public void Process_exists_and_check_pid_srvid_know_connected_clients()
    {
        using var c = _daemon.Connect();
        Span<byte> pid = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(pid, Environment.ProcessId);
        Assert.Equal(0, c.Control(ControlOpcode.ProcessExists, WireFormat.CurrentNode, pid).Status);
        BinaryPrimitives.WriteInt32LittleEndian(pid, int.MaxValue - 7);
        Assert.Equal(-1, c.Control(ControlOpcode.ProcessExists, WireFormat.CurrentNode, pid).Status);

        ulong unique = 0x1234_5678_9abc_def0;
        var ps = new byte[PidSrvid.Size];
        new PidSrvid(Environment.ProcessId, unique).Write(ps);
        Assert.Equal(-1, c.Control(ControlOpcode.CheckPidSrvid, WireFormat.CurrentNode, ps).Status);
        c.RegisterSrvid(unique);
        Assert.Equal(0, c.Control(ControlOpcode.CheckPidSrvid, WireFormat.CurrentNode, ps).Status);
    }

    [Fact]
    public void Statistics_and_uptime_have_ctdbd_sizes()
    {
        using var c = _daemon.Connect();
        var s = c.Control(ControlOpcode.Statistics, WireFormat.CurrentNode, default);
        Assert.Equal(CtdbStatistics.Size, s.Data.Length);
        Assert.True(CtdbStatistics.Read(s.Data).NumClients >= 1);
        var u = c.Uptime();
        Assert.True(u.CurrentTime >= u.StartTime);
    }
}
