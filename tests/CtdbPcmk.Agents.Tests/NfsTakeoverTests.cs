// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Nfs;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// The grace calls a vip makes on take-over and release, and the RecoveryRoot links that let
/// ganesha find the client records of the node that served an address last. The calls go to a
/// recorder here; the real D-Bus path is exercised against NFS-Ganesha in CtdbPcmk.Nfs.Tests
/// (NfsGraceTests) and the end-to-end tests.
/// </summary>
public sealed class NfsTakeoverTests : IDisposable
{
    private static readonly IPAddress s_vip = IPAddress.Parse("192.168.78.101");
    private readonly string _root = Directory.CreateTempSubdirectory("ganesha-recov-").FullName;
    private readonly List<string> _calls = [];
    private readonly OcfLog _log = new("nfs", OcfEnvironment.From(new Dictionary<string, string>()), TextWriter.Null);

    public void Dispose() => Directory.Delete(_root, true);

    private IGaneshaAdmin Connect(NfsTakeover t) => new Recorder(_calls, $"node{t.NodeId}");

    [Fact]
    public void Each_node_links_its_records_where_an_address_grace_reads_them()
    {
        var layout = new RecoveryLayout(_root);
        layout.PrepareNode(1);
        layout.PrepareNode(1);
        Assert.True(Directory.Exists(Path.Combine(_root, "v4recov", "node1")));
        File.WriteAllText(Path.Combine(_root, "v4recov", "node1", "client-a"), "");
        layout.SetHolder(s_vip, 1);
        // What ganesha reads for "5:192.168.78.101": RecoveryRoot/192.168.78.101/v4recov.
        Assert.Equal(["client-a"], Directory.GetFileSystemEntries(Path.Combine(_root, "192.168.78.101", "v4recov")).Select(Path.GetFileName));
        Assert.Equal(1, layout.Holder(s_vip));
        Assert.Null(layout.Holder(IPAddress.Parse("192.168.78.102")));
    }

    [Fact]
    public void A_move_puts_the_taker_in_grace_for_the_address_and_makes_it_the_holder()
    {
        var node1 = new NfsTakeover(_root, 1, "unix:path=/x");
        var node2 = new NfsTakeover(_root, 2, "unix:path=/x");
        new RecoveryLayout(_root).PrepareNode(1);
        new RecoveryLayout(_root).PrepareNode(2);

        // First placement: nobody served it, nothing to reclaim, no grace.
        node1.Take(s_vip, Connect, _log);
        Assert.Empty(_calls);
        Assert.Equal(1, new RecoveryLayout(_root).Holder(s_vip));

        // Graceful move: the releasing node lets go, the taker enters grace for the address.
        node1.Release(s_vip, Connect, _log);
        node2.Take(s_vip, Connect, _log);
        Assert.Equal(["node1 grace 2:192.168.78.101", "node2 grace 5:192.168.78.101"], _calls);
        Assert.Equal(2, new RecoveryLayout(_root).Holder(s_vip));

        // Back on the same node after a restart of the address alone: nothing moved.
        _calls.Clear();
        node2.Take(s_vip, Connect, _log);
        Assert.Empty(_calls);
    }

    [Fact]
    public void A_refused_grace_fails_the_take_and_leaves_the_holder()
    {
        new RecoveryLayout(_root).SetHolder(s_vip, 1);
        var node2 = new NfsTakeover(_root, 2, "unix:path=/x");
        var e = Assert.Throws<GaneshaAdminException>(() => node2.Take(s_vip, _ => new Recorder(_calls, "node2", refuse: true), _log));
        Assert.Contains("Unable to start grace", e.Message);
        Assert.Equal(1, new RecoveryLayout(_root).Holder(s_vip));
    }

    [Fact]
    public void The_takeover_file_round_trips_and_a_damaged_one_is_an_error()
    {
        var dir = Path.Combine(_root, "state");
        Assert.Null(NfsTakeover.Load(dir));
        new NfsTakeover(_root, 3, "unix:path=/run/dbus/system_bus_socket").Save(dir);
        Assert.Equal(new NfsTakeover(_root, 3, "unix:path=/run/dbus/system_bus_socket"), NfsTakeover.Load(dir));
        new NfsTakeover(null, 4, "unix:path=/b").Save(dir);
        Assert.Null(NfsTakeover.Load(dir)!.RecoveryRoot);
        File.WriteAllText(NfsTakeover.PathIn(dir), "node_id=x\n");
        Assert.Throws<InvalidDataException>(() => NfsTakeover.Load(dir));
    }

    private sealed class Recorder(List<string> calls, string who, bool refuse = false) : IGaneshaAdmin
    {
        public (bool Ok, string Message) Grace(string argument)
        {
            calls.Add($"{who} grace {argument}");
            return refuse ? (false, "Unable to start grace") : (true, "Started grace period");
        }

        public bool InGrace() => false;

        public void Ping()
        {
        }

        public void Dispose()
        {
        }
    }
}
