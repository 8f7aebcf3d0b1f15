// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Client.Tests;

/// <summary>
/// A real single-node ctdbd started for the test run with tests/local-daemons (own temp
/// directory, own network namespace), torn down afterwards.
/// </summary>
public sealed class RealCtdbd : IDisposable
{
    private readonly LocalCluster _cluster;

    public RealCtdbd()
    {
        _cluster = LocalCluster.Start(DaemonKind.Ctdb, 1, ClusterReadiness.Node0Answers, TimeSpan.FromSeconds(60));
        try
        {
            SocketPath = _cluster.Socket(0);
            Pid = int.Parse(_cluster.Check("pid", "0").Stdout.Trim(), CultureInfo.InvariantCulture);
            WaitUntilReady();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string SocketPath { get; }

    public int Pid { get; }

    public string NodeDir => Path.Combine(_cluster.Directory, "node.0");

    /// <summary>Runs the real ctdb tool against this daemon and returns its standard output.</summary>
    public string Ctdb(params string[] args)
    {
        var r = _cluster.Ctdb(0, args);
        return r.Ok ? r.Stdout : throw new InvalidOperationException($"ctdb {string.Join(' ', args)}: {r}");
    }

    public void Dispose() => _cluster.Dispose();

    /// <summary>The socket accepts before the first recovery is done; attaches wait for that.</summary>
    private void WaitUntilReady()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using (var c = CtdbClient.Connect(SocketPath))
            {
                if (c.GetRunState() == Protocol.RunState.Running && c.GetRecMode() == Protocol.RecoveryMode.Normal)
                {
                    return;
                }
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("ctdbd did not reach RUNNING with recovery mode NORMAL within 60 s");
            }
            Thread.Sleep(100);
        }
    }
}
