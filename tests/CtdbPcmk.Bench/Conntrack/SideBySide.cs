// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>What one daemon did on the paths smbd and the ctdb tool use.</summary>
internal sealed record SideBySideResult(
    string Daemon,
    int Registrations,
    double TcpClientPerSecond,
    double AllTcpClientOnOtherMs,
    IReadOnlyList<double> TcpClientVisibleMs,
    int AddtickleLines,
    double AddtickleWallMs,
    double AddtickleEmptyMs,
    IReadOnlyList<double> AddtickleVisibleMs,
    string? Unavailable = null)
{
    public double AddticklePerSecond => AddtickleLines / Math.Max(0.001, (AddtickleWallMs - AddtickleEmptyMs) / 1000);
}

/// <summary>
/// ctdbd 4.17 beside ctdb-pcmkd, each on a 2-node cluster of its own (tests/local-daemons), one
/// public address held by one node: TCP_CLIENT registrations per second from one client (smbd's
/// call), the time until all of them are on the other node, the time until one is, and the real
/// ctdb tool's addtickle (connections on stdin), its rate and the time until an added tickle is
/// on the other node (ctdbd sends its lists every TickleUpdateInterval, set here).
/// </summary>
internal static class SideBySide
{
    public static readonly IPAddress Vip = IPAddress.Parse("10.81.0.100");
    public const int Port = 445;

    public static SideBySideResult Run(DaemonKind kind, int registrations, int lines, int samples, int tickleUpdateInterval)
    {
        string name = kind == DaemonKind.Ours ? "ctdb-pcmkd" : "ctdbd 4.17";
        LocalCluster cluster;
        try
        {
            cluster = LocalCluster.Start(kind, 2, ClusterReadiness.Stable, TimeSpan.FromSeconds(180));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return new SideBySideResult(name, 0, 0, 0, [], 0, 0, 0, [], $"cluster did not start: {e.Message.Split('\n')[0]}");
        }
        Ledger.Note("cluster", cluster.Directory);
        using (cluster)
        {
            var settled = Stopwatch.StartNew();
            int holder = TakeAddress(cluster, kind, tickleUpdateInterval);
            int other = 1 - holder;
            using var otherNode = CtdbClient.Connect(cluster.Socket(other));
            otherNode.Timeout = TimeSpan.FromSeconds(30);
            int before = otherNode.GetTcpTickleList(Vip).Count;

            // TCP_CLIENT, as smbd registers each client.
            double perSecond;
            double allOnOther;
            using (var smbd = CtdbClient.Connect(cluster.Socket(holder)))
            {
                smbd.Timeout = TimeSpan.FromSeconds(30);
                var server = new IPEndPoint(Vip, Port);
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < registrations; i++)
                {
                    smbd.TcpClient(Client(1, i), server);
                }
                perSecond = registrations / watch.Elapsed.TotalSeconds;
                var wait = Stopwatch.StartNew();
                Wait.Until(() => otherNode.GetTcpTickleList(Vip).Count >= before + registrations, TimeSpan.FromSeconds(60), $"{registrations} TCP_CLIENT entries on node {other}", pollMs: 5);
                allOnOther = wait.Elapsed.TotalMilliseconds;
            }
            var tcpClientVisible = new List<double>();
            using (var smbd = CtdbClient.Connect(cluster.Socket(holder)))
            {
                smbd.Timeout = TimeSpan.FromSeconds(30);
                for (int i = 0; i < samples; i++)
                {
                    var client = Client(2, i);
                    var watch = Stopwatch.StartNew();
                    smbd.TcpClient(client, new IPEndPoint(Vip, Port));
                    Wait.Until(() => otherNode.GetTcpTickleList(Vip).Any(c => c.Source.Equals(client)), TimeSpan.FromSeconds(60), "one TCP_CLIENT entry on the other node", pollMs: 1);
                    tcpClientVisible.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            // ctdb addtickle, connections on stdin; the empty run is the tool's start-up.
            var input = new StringBuilder();
            for (int i = 0; i < lines; i++)
            {
                input.Append(CultureInfo.InvariantCulture, $"{Client(3, i)} {Vip}:{Port}\n");
            }
            var emptyWatch = Stopwatch.StartNew();
            Tool(cluster, holder, ["addtickle"], "");
            double empty = emptyWatch.Elapsed.TotalMilliseconds;
            var addWatch = Stopwatch.StartNew();
            Tool(cluster, holder, ["addtickle"], input.ToString());
            double addWall = addWatch.Elapsed.TotalMilliseconds;

            // ctdbd takes a changed TickleUpdateInterval when its pending timer (the old interval) fires.
            var rearmed = TimeSpan.FromSeconds(kind == DaemonKind.Ctdb ? 21 : 0) - settled.Elapsed;
            if (rearmed > TimeSpan.Zero)
            {
                Thread.Sleep(rearmed);
            }
            var addVisible = new List<double>();
            for (int i = 0; i < samples; i++)
            {
                var client = Client(4, i);
                var watch = Stopwatch.StartNew();
                Tool(cluster, holder, ["addtickle", client.ToString(), $"{Vip}:{Port}"], null);
                Wait.Until(() => otherNode.GetTcpTickleList(Vip).Any(c => c.Source.Equals(client)), TimeSpan.FromSeconds(60), "an added tickle on the other node", pollMs: 1);
                addVisible.Add(watch.Elapsed.TotalMilliseconds);
            }
            var result = new SideBySideResult(name, registrations, perSecond, allOnOther, tcpClientVisible, lines, addWall, empty, addVisible);
            Console.Error.WriteLine($"conntrack-bench: {name}: TCP_CLIENT {perSecond:F0}/s, all on node {other} after {allOnOther:F0} ms; addtickle {lines} in {addWall:F0} ms (empty {empty:F0} ms); visible {string.Join(", ", addVisible.Select(v => v.ToString("F0", CultureInfo.InvariantCulture)))} ms");
            return result;
        }
    }

    private static IPEndPoint Client(int group, int i) =>
        new(new IPAddress([10, 82, (byte)(group * 16 + i / 50000), (byte)(i / 200 % 250)]), 1024 + i % 200 + 200 * (i / 50000));

    /// <summary>Both nodes may host the address; returns the node that holds it.</summary>
    private static int TakeAddress(LocalCluster cluster, DaemonKind kind, int tickleUpdateInterval)
    {
        if (kind == DaemonKind.Ours)
        {
            for (int pnn = 0; pnn < 2; pnn++)
            {
                using var c = CtdbClient.Connect(cluster.Socket(pnn));
                c.Timeout = TimeSpan.FromSeconds(10);
                c.AddPublicIp(Vip, 24, "lo");
            }
            using (var c = CtdbClient.Connect(cluster.Socket(0)))
            {
                c.Timeout = TimeSpan.FromSeconds(10);
                c.TakeoverIp(0, Vip);
            }
            return 0;
        }
        for (int pnn = 0; pnn < 2; pnn++)
        {
            Tool(cluster, pnn, ["setvar", "TickleUpdateInterval", tickleUpdateInterval.ToString(CultureInfo.InvariantCulture)], null);
            Tool(cluster, pnn, ["addip", $"{Vip}/24", "lo"], null);
        }
        int holder = -1;
        Wait.Until(() =>
        {
            Tool(cluster, 0, ["ipreallocate"], null);
            var line = Tool(cluster, 0, ["ip"], null).Split('\n').FirstOrDefault(l => l.StartsWith(Vip + " ", StringComparison.Ordinal));
            return line is not null && int.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out holder) && holder >= 0;
        }, TimeSpan.FromSeconds(60), $"ctdbd hosts {Vip}", pollMs: 1000);
        return holder;
    }

    private static string Tool(LocalCluster cluster, int pnn, IReadOnlyList<string> args, string? stdin)
    {
        var r = cluster.Ctdb(pnn, args, stdin);
        return r.Ok ? r.Stdout : throw new InvalidOperationException($"ctdb {string.Join(' ', args)} on node {pnn}: {r}");
    }
}
