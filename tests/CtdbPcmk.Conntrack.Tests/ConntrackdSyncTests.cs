// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace CtdbPcmk.Conntrack.Tests;

/// <summary>
/// Two nodes, each a network namespace with real conntrackd started by ConntrackdService over
/// a veth sync link: a client (a third namespace) holds a TCP connection to node A; after B
/// takes over, the connection is in B's kernel conntrack table.
/// </summary>
public sealed class ConntrackdSyncTests
{
    private const int ServicePort = 4455;

    [Fact]
    public void Takeover_CommitsThePeersConnectionIntoTheKernel()
    {
        using var dirA = new ConntrackdTempDir();
        using var dirB = new ConntrackdTempDir();
        using var a = ConntrackdNetns.Create();
        using var b = ConntrackdNetns.Create();
        using var client = ConntrackdNetns.Create();
        ConntrackdNetns.Link(a, "sync0", "10.231.8.1/24", b, "sync0", "10.231.8.2/24");
        ConntrackdNetns.Link(client, "pub0", "10.232.8.2/24", a, "pub0", "10.232.8.1/24");
        a.EnableConntrack();
        b.EnableConntrack();

        TcpPeers.AwaitServer(a.Start(TcpPeers.ServerCommand("10.232.8.1", ServicePort)), "in A");
        var (_, clientPort) = TcpPeers.AwaitClient(client.Start(TcpPeers.ClientCommand("10.232.8.1", ServicePort)));
        var entry = $"sport={clientPort.ToString(CultureInfo.InvariantCulture)} dport={ServicePort.ToString(CultureInfo.InvariantCulture)}";
        Assert.Contains(entry, ConntrackList(a), StringComparison.Ordinal);

        var log = new StringWriter();
        var serviceA = new ConntrackdService(ConntrackdTempDir.Generated(dirA.Path, "sync0"), new NetnsCommandRunner(a.Name),
            ConntrackdTempDir.Log(log), _ => IPAddress.Parse("10.231.8.1"));
        var serviceB = new ConntrackdService(ConntrackdTempDir.Generated(dirB.Path, "sync0"), new NetnsCommandRunner(b.Name),
            ConntrackdTempDir.Log(log), _ => IPAddress.Parse("10.231.8.2"));
        try
        {
            serviceA.Start();
            // B asks its peers for their state when it starts; A answers with the connection.
            serviceB.Start();
            Assert.True(serviceA.IsRunning() && serviceB.IsRunning(), log.ToString());
            Assert.True(Eventually(() => b.Run("conntrackd", "-C", serviceB.ConfigPath, "-e").Stdout.Contains(entry, StringComparison.Ordinal)),
                $"B's external cache never held {entry}: {b.Run("conntrackd", "-C", serviceB.ConfigPath, "-e")}\n{log}");
            Assert.DoesNotContain(entry, ConntrackList(b), StringComparison.Ordinal);

            serviceB.CommitTakeover();

            var table = ConntrackList(b);
            Assert.Contains(entry, table, StringComparison.Ordinal);
            Assert.Contains("src=10.232.8.2 dst=10.232.8.1", table, StringComparison.Ordinal);
            Assert.DoesNotContain("ERROR", log.ToString(), StringComparison.Ordinal);

            serviceB.Stop();
            serviceA.Stop();
            Assert.False(serviceA.IsRunning() || serviceB.IsRunning());
            Assert.False(File.Exists(Path.Combine(dirA.Path, "conntrackd.lock")));
        }
        finally
        {
            // Idempotent; whatever is left after a failure dies with the namespaces.
            StopQuietly(serviceB);
            StopQuietly(serviceA);
        }
    }

    private static void StopQuietly(ConntrackdService service)
    {
        try
        {
            service.Stop();
        }
        catch (Ocf.OcfException)
        {
            // The namespace's disposal kills it; the test's own failure is the one to report.
        }
    }

    private static string ConntrackList(ConntrackdNetns ns) => ns.Ok("conntrack", "-L", "-p", "tcp");

    private static bool Eventually(Func<bool> condition)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                return false;
            }
            Thread.Sleep(100);
        }
        return true;
    }
}
