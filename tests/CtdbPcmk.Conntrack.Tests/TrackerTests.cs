// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Conntrack.Tests;

/// <summary>
/// The tracker against real conntrack events in network namespaces and two real daemons: what a
/// client opens to a public address reaches the other node's list, reset-server and
/// reset-client do what a move needs, and the tracker outlives a daemon restart and a burst
/// beyond its bound. Needs root.
/// </summary>
[Collection("tracker")]
public sealed class TrackerTests
{
    [Fact]
    public void Connections_opened_to_the_addresses_reach_the_other_node_and_leave_when_closed()
    {
        using var lab = new TrackerLab(commitInterval: 0.2);
        var v4 = lab.Connect(TrackerLab.Vip4, 1500);
        var v6 = lab.Connect(TrackerLab.Vip6, 500);
        TrackerLab.Eventually(() => lab.List(1, TrackerLab.Vip4).Count == 1500 && lab.List(1, TrackerLab.Vip6).Count == 500,
            TimeSpan.FromSeconds(10), "2000 connections on node 1");
        Assert.True(TrackerLab.Endpoints(v4).SetEquals(lab.List(1, TrackerLab.Vip4).Select(c => c.Source)));
        Assert.True(TrackerLab.Endpoints(v6).SetEquals(lab.List(1, TrackerLab.Vip6).Select(c => c.Source)));

        // One more connection: from its SYN to node 1's list within commit interval + 100 ms.
        var latencies = new List<TimeSpan>();
        for (int i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            var one = lab.Connect(TrackerLab.Vip4, 1).Single();
            var endpoint = (IPEndPoint)one.LocalEndPoint!;
            TrackerLab.Eventually(() => lab.List(1, TrackerLab.Vip4).Any(c => c.Source.Equals(endpoint)), TimeSpan.FromSeconds(5), "one new connection on node 1");
            latencies.Add(watch.Elapsed);
        }
        latencies.Sort();
        Console.WriteLine($"note: conntrack tracker: SYN to visible on the other node, commit_interval 0.2 s: median {latencies[2].TotalMilliseconds:F0} ms, max {latencies[4].TotalMilliseconds:F0} ms");
        Assert.True(latencies[2] <= lab.CommitInterval + TimeSpan.FromMilliseconds(100), $"median {latencies[2].TotalMilliseconds} ms");

        foreach (var s in v4.Concat(v6))
        {
            s.Close();
        }
        TrackerLab.Eventually(() => lab.List(1, TrackerLab.Vip4).Count == 5 && lab.List(1, TrackerLab.Vip6).Count == 0,
            TimeSpan.FromSeconds(10), "closed connections gone from node 1");
    }

    [Fact]
    public void Reset_server_keeps_the_list_and_reset_client_makes_the_clients_see_a_reset()
    {
        using var lab = new TrackerLab(commitInterval: 0.1);
        var clients = lab.Connect(TrackerLab.Vip4, 200).Concat(lab.Connect(TrackerLab.Vip6, 100)).ToList();
        TrackerLab.Eventually(() => lab.List(1, TrackerLab.Vip4).Count == 200 && lab.List(1, TrackerLab.Vip6).Count == 100,
            TimeSpan.FromSeconds(10), "300 connections on node 1");

        // The server's RSTs never reach the clients (as when a node dies): they stay connected.
        lab.Nft(lab.Server, "table inet lab {\n chain out {\n  type filter hook output priority 0;\n  tcp flags & rst == rst drop\n }\n}");
        foreach (var vip in new[] { TrackerLab.Vip4, TrackerLab.Vip6 })
        {
            var reply = lab.Request($"reset-server {vip}");
            Assert.StartsWith("ok reset ", reply);
        }
        Assert.DoesNotContain(":2049", TrackerLab.In(lab.Server, "ss", "-Htn", "state", "established"));
        Assert.Equal(300, TrackerLab.In(lab.Client, "ss", "-Htn", "state", "established").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Thread.Sleep(lab.CommitInterval * 3);
        Assert.Equal(200, lab.List(1, TrackerLab.Vip4).Count);
        Assert.Equal(100, lab.List(1, TrackerLab.Vip6).Count);

        // The address "arrives" again: reset-client tickles every listed client, which resets.
        lab.Nft(lab.Server, "delete table inet lab");
        var pcap = Path.Combine(lab.StateDir, "client.pcap");
        var tshark = Process.Start(Sh.Info(["ip", "netns", "exec", lab.Client.Name, "tshark", "-q", "-i", "ctC", "-w", pcap, "-f", "tcp port 2049"], null))!;
        try
        {
            TrackerLab.Eventually(() => File.Exists(pcap) && new FileInfo(pcap).Length > 0, TimeSpan.FromSeconds(15), "tshark capturing");
            Assert.StartsWith("ok tickling 200 client(s)", lab.Request($"reset-client {TrackerLab.Vip4}"));
            Assert.StartsWith("ok tickling 100 client(s)", lab.Request($"reset-client {TrackerLab.Vip6}"));
            TrackerLab.Eventually(() => lab.List(1, TrackerLab.Vip4).Count == 0 && lab.List(1, TrackerLab.Vip6).Count == 0,
                TimeSpan.FromSeconds(10), "tickled entries removed on node 1");
            TrackerLab.Eventually(() => TrackerLab.In(lab.Client, "ss", "-Htn", "state", "established").Trim().Length == 0,
                TimeSpan.FromSeconds(5), "no client connection left");
        }
        finally
        {
            Sh.Run("kill", "-INT", tshark.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            tshark.WaitForExit(10_000);
        }
        var resets = Sh.Run("tshark", "-r", pcap, "-Y", "tcp.flags.reset == 1 && tcp.srcport == 2049", "-T", "fields", "-e", "tcp.dstport");
        Assert.True(resets.Ok, resets.ToString());
        var resetPorts = resets.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToHashSet();
        var clientPorts = clients.Select(c => ((IPEndPoint)c.LocalEndPoint!).Port).ToHashSet();
        Assert.True(clientPorts.IsSubsetOf(resetPorts), $"{clientPorts.Except(resetPorts).Count()} client(s) saw no RST");
        var socketErrors = 0;
        foreach (var c in clients)
        {
            try
            {
                c.Send(new byte[1]);
                c.Receive(new byte[1]);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
            {
                socketErrors++;
            }
        }
        Assert.Equal(clients.Count, socketErrors);
    }

    [Fact]
    public void The_tracker_gives_a_restarted_daemon_its_connections_again()
    {
        using var lab = new TrackerLab(commitInterval: 0.2);
        var open = lab.Connect(TrackerLab.Vip4, 100);
        TrackerLab.Eventually(() => lab.List(1, TrackerLab.Vip4).Count == 100, TimeSpan.FromSeconds(10), "100 connections on node 1");
        lab.Cluster.Kill(0);
        TrackerLab.Eventually(() => lab.Request("status").Contains("daemon=down", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "tracker sees the daemon gone");
        var more = lab.Connect(TrackerLab.Vip4, 50);
        lab.Cluster.StartNode(0);
        TrackerLab.Eventually(() => File.Exists(lab.Cluster.Socket(0)), TimeSpan.FromSeconds(30), "node 0 back");
        TrackerLab.Eventually(() =>
        {
            try
            {
                lab.TakeAddresses(0);
                return true;
            }
            catch (Exception e) when (e is Client.CtdbConnectionException or Client.CtdbControlException or IOException or SocketException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(30), "node 0 takes the addresses again");
        var expected = TrackerLab.Endpoints(open.Concat(more));
        TrackerLab.Eventually(() => lab.List(0, TrackerLab.Vip4).Select(c => c.Source).ToHashSet().SetEquals(expected),
            TimeSpan.FromSeconds(10), "node 0's list has all 150 connections again");
        Assert.Contains("daemon=up", lab.Request("status"));
    }

    [Fact]
    public void Connections_made_before_the_tracker_starts_come_from_the_socket_dump()
    {
        using var lab = new TrackerLab(commitInterval: 0.2);
        lab.StopTracker();
        var before = lab.Connect(TrackerLab.Vip4, 40).Concat(lab.Connect(TrackerLab.Vip6, 20)).ToList();
        Thread.Sleep(300);
        Assert.Empty(lab.List(1, TrackerLab.Vip4));
        lab.StartTracker();
        TrackerLab.Eventually(() => lab.List(1, TrackerLab.Vip4).Count == 40 && lab.List(1, TrackerLab.Vip6).Count == 20,
            TimeSpan.FromSeconds(10), "the 60 earlier connections on node 1");
        var listed = lab.List(1, TrackerLab.Vip4).Concat(lab.List(1, TrackerLab.Vip6)).Select(c => c.Source).ToHashSet();
        Assert.True(TrackerLab.Endpoints(before).SetEquals(listed));
    }

    [Fact]
    public void A_burst_beyond_the_bound_forgets_the_oldest_with_a_log_line()
    {
        using var lab = new TrackerLab(commitInterval: 0.2, maxConnections: 300);
        var sockets = lab.Connect(TrackerLab.Vip4, 1000);
        TrackerLab.Eventually(() => lab.Request("status").Contains("opened=1000", StringComparison.Ordinal), TimeSpan.FromSeconds(10), "1000 opened");
        var status = lab.Request("status");
        Assert.Contains("open=300 ", status);
        TrackerLab.Eventually(() => lab.Log.ToString().Contains("forgotten, the oldest first", StringComparison.Ordinal), TimeSpan.FromSeconds(5), "log line");
        // The newest 300 are the ones kept (and written); the tracker still answers and works.
        var newest = TrackerLab.Endpoints(sockets.Skip(700));
        TrackerLab.Eventually(() => newest.IsSubsetOf(lab.List(1, TrackerLab.Vip4).Select(c => c.Source)), TimeSpan.FromSeconds(5), "newest 300 on node 1");
        Assert.StartsWith("ok", lab.Request("commit"));
    }

    [Fact]
    public void Connections_opened_and_closed_as_fast_as_the_client_can_are_all_seen()
    {
        using var lab = new TrackerLab(commitInterval: 0.2);
        lab.CloseAccepted = true;
        long before = lab.Counter("opened");
        var watch = Stopwatch.StartNew();
        int made = lab.Churn(TrackerLab.Vip4, 20_000, threads: 2);
        var elapsed = watch.Elapsed;
        TrackerLab.Eventually(() => lab.Counter("opened") - before >= made, TimeSpan.FromSeconds(10),
            $"{made} connections seen (status: {lab.Request("status")})");
        Console.WriteLine($"note: conntrack tracker: {made} connections opened and closed in {elapsed.TotalSeconds:F1} s ({made / elapsed.TotalSeconds:F0}/s), none missed; status: {lab.Request("status")}");
        Assert.Equal(made, lab.Counter("opened") - before);
        Assert.Equal(0, lab.Counter("overruns"));
        // Every one of them closed again: none left on the other node.
        TrackerLab.Eventually(() => lab.List(1, TrackerLab.Vip4).Count == 0, TimeSpan.FromSeconds(10), "no churned connection left on node 1");
    }
}
