// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>
/// Authenticated node links on tests/local-daemons clusters of ctdb-pcmkd: the real ctdb tool
/// across keyed links, nodes without the key, controls sent raw from a node's address, captured
/// traffic replayed, and a key roll with the cluster connected.
/// </summary>
public sealed class NodeLinkAuthTests
{
    private const string Port = "4379";
    private static readonly string s_send = Path.Combine(AppContext.BaseDirectory, "node-link-send.py");

    private static string N(int pnn) => pnn.ToString(CultureInfo.InvariantCulture);

    /// <summary>Node → DISCONNECTED as <paramref name="observer"/> sees it.</summary>
    private static Dictionary<int, bool> Disconnected(LocalCluster c, int observer)
    {
        var seen = new Dictionary<int, bool>();
        foreach (var line in c.Harness("ctdb", N(observer), "-X", "nodestatus", "all").Stdout.Split('\n'))
        {
            var f = line.Split('|');
            if (f.Length > 4 && int.TryParse(f[1], CultureInfo.InvariantCulture, out int pnn))
                seen[pnn] = f[3] != "0";
        }
        return seen;
    }

    private static bool Linked(LocalCluster c, int a, int b) =>
        Disconnected(c, a).TryGetValue(b, out bool ab) && !ab && Disconnected(c, b).TryGetValue(a, out bool ba) && !ba;

    private static void WaitUntil(Func<bool> condition, TimeSpan within, string what)
    {
        var sw = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(sw.Elapsed < within, $"{what} within {within}");
            Thread.Sleep(100);
        }
    }

    private static void AllLinked(LocalCluster c, string when) =>
        WaitUntil(() => Linked(c, 0, 1) && Linked(c, 0, 2) && Linked(c, 1, 2), TimeSpan.FromSeconds(15), $"all three nodes connected {when}");

    private static string Log(LocalCluster c, int pnn) => File.ReadAllText(Path.Combine(c.Directory, $"node.{pnn}", "log"));

    private static string KeyFile(LocalCluster c, int pnn) => Path.Combine(c.Directory, $"node.{pnn}", "node.key");

    /// <summary>Sends <paramref name="bytes"/> to node <paramref name="to"/>'s port from <paramref name="from"/>'s address; true when the daemon closed the connection.</summary>
    private static bool SendRaw(LocalCluster c, int from, int to, byte[] bytes, double wait = 2)
    {
        var r = Sh.RunToFiles([RepoPaths.LocalDaemons, c.Directory, "exec", "python3", s_send, $"127.0.0.{from + 1}", $"127.0.0.{to + 1}", Port,
            wait.ToString(CultureInfo.InvariantCulture)], Convert.ToHexString(bytes), TimeSpan.FromSeconds(30));
        Assert.True(r.Ok, $"node-link-send: {r}");
        return r.Stdout.StartsWith("closed", StringComparison.Ordinal);
    }

    /// <summary>A REQ_CONTROL as node <paramref name="src"/> would send it to node <paramref name="dest"/>.</summary>
    private static byte[] Control(ControlOpcode opcode, uint src, uint dest, ReadOnlySpan<byte> data)
    {
        var control = new ReqControl { Opcode = opcode, Data = data, Flags = ReqControl.FlagNoReply };
        var packet = new byte[WireFormat.Align(control.ContentLength)];
        control.Write(packet, new PacketHeader(0, 1, Operation.ReqControl, dest, src, 4242));
        return packet;
    }

    /// <summary>SET_TUNABLE's data (struct ctdb_tunable_old: value, name length with its NUL, name).</summary>
    private static byte[] Tunable(string name, uint value)
    {
        var data = new byte[8 + name.Length + 1];
        BinaryPrimitives.WriteUInt32LittleEndian(data, value);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), (uint)name.Length + 1);
        Encoding.ASCII.GetBytes(name, data.AsSpan(8));
        return data;
    }

    private static string KeepaliveLimit(LocalCluster c, int pnn) => c.Ok("ctdb", N(pnn), "getvar", "KeepaliveLimit").Trim();

    private static string NewKey() => Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Without_a_key_a_control_sent_raw_from_a_nodes_address_is_applied()
    {
        // The threat the key closes, and proof that the raw control below is one the daemon obeys.
        using var c = LocalCluster.Create();
        c.Ok("setup", "2");
        c.Ok("start", "all");
        Assert.Contains("Node links are not authenticated", Log(c, 0), StringComparison.Ordinal);
        c.Ok("stop", "1");
        Assert.Equal("KeepaliveLimit             = 5", KeepaliveLimit(c, 0));
        Assert.False(SendRaw(c, 1, 0, Control(ControlOpcode.SetTunable, 1, 0, Tunable("KeepaliveLimit", 9)), wait: 1));
        WaitUntil(() => KeepaliveLimit(c, 0) == "KeepaliveLimit             = 9", TimeSpan.FromSeconds(5), "the intruder's SET_TUNABLE applied");
    }

    [Fact]
    public void Keyed_links_serve_the_ctdb_tool_and_refuse_raw_controls_replays_and_nodes_without_the_key()
    {
        using var c = LocalCluster.Create();
        c.Ok("setup", "3", "--node-key");
        c.Ok("start", "all");
        Assert.Contains("Node links are authenticated with the keys of", Log(c, 0), StringComparison.Ordinal);
        Assert.DoesNotContain("not authenticated", Log(c, 0), StringComparison.Ordinal);
        var status = c.Ok("ctdb", "0", "status");
        Assert.Contains("pnn:1 127.0.0.2        OK\n", status, StringComparison.Ordinal);
        Assert.Contains("pnn:2 127.0.0.3        OK\n", status, StringComparison.Ordinal);
        Assert.StartsWith("response from 1 ", c.Ok("ctdb", "0", "-n", "1", "ping"), StringComparison.Ordinal);
        Assert.StartsWith("response from 2 ", c.Ok("ctdb", "0", "-n", "2", "ping"), StringComparison.Ordinal);
        c.Ok("leader", "0");
        const string db = "auth-ptrans.tdb";
        Assert.True(c.Ctdb(1, "attach", db, "persistent").Ok, c.LogTail());
        var t = c.Ctdb(1, ["ptrans", db], "\"k1\" \"v1\"\n\"k2\" \"v2\"\n");
        Assert.True(t.Ok, $"ptrans: {t}\n{c.LogTail()}");
        for (int pnn = 0; pnn < 3; pnn++)
        {
            Assert.Contains("v2", c.Ok("ctdb", N(pnn), "pfetch", db, "k2"), StringComparison.Ordinal);
        }

        // An intruder on node 2's address (node 2 down) sends SET_TUNABLE and SHUTDOWN to node 0.
        c.Ok("stop", "2");
        WaitUntil(() => Disconnected(c, 0).GetValueOrDefault(2), TimeSpan.FromSeconds(10), "node 0 sees node 2 gone");
        Assert.True(SendRaw(c, 2, 0, Control(ControlOpcode.SetTunable, 2, 0, Tunable("KeepaliveLimit", 9))), "connection closed");
        Assert.True(SendRaw(c, 2, 0, Control(ControlOpcode.Shutdown, 2, 0, default)), "connection closed");
        Assert.Equal("KeepaliveLimit             = 5", KeepaliveLimit(c, 0));
        Assert.StartsWith("response from 0 ", c.Ok("ctdb", "1", "-n", "0", "ping"), StringComparison.Ordinal);
        Assert.Contains("Refused node link from 127.0.0.3 (node 2's address): a CTDB packet where the handshake was expected",
            Log(c, 0), StringComparison.Ordinal);

        // Capture node 2's link to node 0 from its first byte, with a SET_TUNABLE in it.
        string pcap = Path.Combine(c.Directory, "links.pcap");
        var capture = new Process
        {
            StartInfo = Sh.Info([RepoPaths.LocalDaemons, c.Directory, "exec", "tcpdump", "-i", "lo", "--immediate-mode", "-U", "-w", pcap, "tcp", "port", Port]),
        };
        capture.StartInfo.RedirectStandardError = true;
        capture.StartInfo.RedirectStandardOutput = true;
        capture.Start();
        try
        {
            var ready = capture.StandardError.ReadLine();
            Assert.Contains("listening on lo", ready ?? "", StringComparison.Ordinal);
            _ = capture.StandardError.ReadToEndAsync();
            _ = capture.StandardOutput.ReadToEndAsync();
            c.Ok("start", "2");
            AllLinked(c, "after node 2 restarts");
            c.Ok("ctdb", "2", "-n", "0", "setvar", "KeepaliveLimit", "7");
            Assert.Equal("KeepaliveLimit             = 7", KeepaliveLimit(c, 0));
            c.Ok("ctdb", "0", "setvar", "KeepaliveLimit", "5");
            Thread.Sleep(300);
        }
        finally
        {
            // SIGINT, not SIGKILL: tcpdump writes out what it has read before it exits (on a
            // loaded machine the last packets may still be on their way to it).
            if (!capture.HasExited)
            {
                Sh.Run(["kill", "-INT", capture.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            }
            if (!capture.WaitForExit(10_000))
            {
                capture.Kill();
            }
            capture.WaitForExit();
            capture.Dispose();
        }
        c.Ok("stop", "2");
        WaitUntil(() => Disconnected(c, 0).GetValueOrDefault(2), TimeSpan.FromSeconds(10), "node 0 sees node 2 gone again");
        var fields = Sh.Run(["tshark", "-r", pcap, "-Y", "ip.src==127.0.0.3 && ip.dst==127.0.0.1 && tcp.dstport==4379 && tcp.len>0",
            "-T", "fields", "-e", "tcp.stream", "-e", "tcp.payload"]);
        Assert.True(fields.Code == 0, $"tshark: {fields.Stderr}");
        var streams = fields.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t'))
            .GroupBy(f => f[0]).Select(g => Convert.FromHexString(string.Concat(g.Select(f => f[1].Replace(":", "", StringComparison.Ordinal)))))
            .OrderByDescending(b => b.Length).ToList();
        Assert.NotEmpty(streams);
        var link = streams[0];
        // The capture is an authenticated link: handshake first, then the CTDB packets inside frames.
        Assert.Equal(0x4C4E5043u, BinaryPrimitives.ReadUInt32LittleEndian(link.AsSpan(4)));
        Assert.True(link.Length > 200, $"captured {link.Length} bytes");

        Assert.True(SendRaw(c, 2, 0, link), "the replay is closed");
        Assert.Equal("KeepaliveLimit             = 5", KeepaliveLimit(c, 0));
        Assert.Contains("Refused node link from 127.0.0.3 (node 2's address): its proof of the key did not verify",
            Log(c, 0), StringComparison.Ordinal);
        // The frames alone, after a handshake of its own, would need the key: without one they are a CTDB-less stream.
        int afterHandshake = 60 + 44;
        Assert.True(SendRaw(c, 2, 0, link[afterHandshake..]), "frames without a handshake are closed");
        Assert.Equal("KeepaliveLimit             = 5", KeepaliveLimit(c, 0));

        // Node 2 without a key: it cannot join, and both sides say why.
        string conf = Path.Combine(c.Directory, "node.2", "ctdb.conf");
        string keyed = File.ReadAllText(conf);
        File.WriteAllLines(conf, keyed.Split('\n').Where(l => !l.Contains("node key file", StringComparison.Ordinal)));
        c.Ok("start", "2");
        // A keyless node closes the Hello it cannot read; it sends nothing itself until linked.
        const string closed = "Refused node link to 127.0.0.3 (node 2): the peer closed the connection during the handshake (no node key, or not ours)";
        WaitUntil(() => Log(c, 0).Contains(closed, StringComparison.Ordinal) && Log(c, 1).Contains(closed, StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), "nodes 0 and 1 refuse node 2 without a key");
        Assert.True(Disconnected(c, 0)[2] && Disconnected(c, 1)[2], "node 2 without a key stays out");
        Assert.True(Disconnected(c, 2)[0] && Disconnected(c, 2)[1], "node 2 without a key sees no node");
        Assert.True(Linked(c, 0, 1), "nodes 0 and 1 stay connected");
        Assert.Contains("Node links are not authenticated", Log(c, 2), StringComparison.Ordinal);
        c.Ok("stop", "2");

        // Node 2 with a different key.
        File.WriteAllText(conf, keyed);
        File.WriteAllText(KeyFile(c, 2), NewKey() + "\n");
        c.Ok("start", "2");
        WaitUntil(() => Log(c, 2).Contains("refused by the peer: it does not have our node key", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), "node 2 with another key refused");
        Thread.Sleep(1500);
        Assert.True(Disconnected(c, 0)[2] && Disconnected(c, 1)[2], "node 2 with another key stays out");
        Assert.True(Linked(c, 0, 1), "nodes 0 and 1 stay connected");
        Assert.Matches(@"Refused node link from 127\.0\.0\.3 \(node 2's address\): its key \(id [0-9a-f]{16}\) is not one of ours", Log(c, 0));
        Assert.Contains("Refused node link to 127.0.0.1 (node 0): refused by the peer: it does not have our node key", Log(c, 2), StringComparison.Ordinal);
        // Repeated refusals are rate-limited: node 2 retries every second, node 0 logs its address once.
        Assert.Single(Log(c, 0).Split('\n'), l => l.Contains("Refused node link from 127.0.0.3 (node 2's address): its key", StringComparison.Ordinal));
    }

    [Fact]
    public void A_key_roll_needs_no_restart_of_the_cluster_and_keeps_it_connected()
    {
        using var c = LocalCluster.Create();
        c.Ok("setup", "3", "--node-key");
        c.Ok("start", "all");
        string oldKey = File.ReadAllText(KeyFile(c, 0)).Trim();
        string newKey = NewKey();
        void Keys(int pnn, params string[] lines) => File.WriteAllText(KeyFile(c, pnn), string.Join('\n', lines) + "\n");

        // Nodes that are not restarted in a step must never lose each other: polled throughout.
        var lost = new List<string>();
        var watched = new HashSet<int> { 0, 1, 2 };
        using var stop = new CancellationTokenSource();
        var poller = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                int[] w;
                lock (watched)
                {
                    w = watched.ToArray();
                }
                foreach (int a in w)
                {
                    var seen = Disconnected(c, a);
                    foreach (int b in w.Where(b => b != a && seen.GetValueOrDefault(b, true)))
                    {
                        lock (watched)
                        {
                            if (watched.Contains(a) && watched.Contains(b))
                                lost.Add($"node {a} saw node {b} disconnected");
                        }
                    }
                }
                Thread.Sleep(100);
            }
        })
        { IsBackground = true };
        poller.Start();
        void Restart(int pnn, string step)
        {
            lock (watched)
            {
                watched.Remove(pnn);
            }
            c.Ok("stop", N(pnn));
            c.Ok("start", N(pnn));
            AllLinked(c, $"after node {pnn} restarted ({step})");
            lock (watched)
            {
                watched.Add(pnn);
            }
        }

        // 1. The new key as second line everywhere: still proven with the old one.
        for (int pnn = 0; pnn < 3; pnn++)
            Keys(pnn, $"old {oldKey}", $"new {newKey}");
        Restart(2, "new key added");
        // 2. The new key first, node by node: a node proves with the new key, accepts both.
        Keys(0, $"new {newKey}", $"old {oldKey}");
        Restart(0, "node 0 moved to the new key");
        Keys(1, $"new {newKey}", $"old {oldKey}");
        Keys(2, $"new {newKey}", $"old {oldKey}");
        Restart(1, "nodes 1 and 2 moved to the new key");
        // 3. The old key removed: every new link is proven with the new key alone.
        for (int pnn = 0; pnn < 3; pnn++)
            Keys(pnn, $"new {newKey}");
        Restart(2, "old key removed");
        stop.Cancel();
        poller.Join();
        Assert.Empty(lost);
        AllLinked(c, "after the roll");
        Assert.StartsWith("response from 2 ", c.Ok("ctdb", "1", "-n", "2", "ping"), StringComparison.Ordinal);
        // Node 1 was never restarted: it read the new files for the links made since.
        Assert.Contains("now holds new (id", Log(c, 1), StringComparison.Ordinal);
    }
}
