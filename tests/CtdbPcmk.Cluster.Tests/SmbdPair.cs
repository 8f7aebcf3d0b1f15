// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Two clustered smbd, one on node 0 and one on node 1 of a cluster, serving the same directory
/// (as two machines would a cluster file system).
/// </summary>
internal sealed class SmbdPair : IAsyncDisposable
{
    private readonly List<ClusteredSmbd> _servers = [];
    private readonly SmbWorkDir _dir;

    private SmbdPair(LocalCluster cluster, SmbWorkDir dir)
    {
        Cluster = cluster;
        _dir = dir;
    }

    public LocalCluster Cluster { get; }

    public string ShareDir => _dir.ShareDir;

    /// <summary>Client-side files for smbclient's put and get.</summary>
    public string LocalDir => _dir.LocalDir;

    /// <summary>The smbd clustered on node <paramref name="pnn"/> (0 or 1).</summary>
    public ClusteredSmbd On(int pnn) => _servers[pnn];

    public static Task<SmbdPair> StartAsync(LocalCluster cluster)
    {
        var pair = new SmbdPair(cluster, SmbWorkDir.Create());
        try
        {
            for (int pnn = 0; pnn < 2; pnn++)
            {
                string work = Path.Combine(pair._dir.WorkDir, $"node{pnn}");
                Directory.CreateDirectory(work);
                // Kernel share modes, kernel oplocks and POSIX locking off: the two smbd on this one
                // host can only see each other's opens and byte-range locks through the clustered databases.
                pair._servers.Add(ClusteredSmbd.Start(cluster.Socket(pnn), work, pair.ShareDir, "CLUSTERTEST", 1,
                    "kernel share modes = no", "kernel oplocks = no", "posix locking = no"));
            }
            return Task.FromResult(pair);
        }
        catch
        {
            pair.Stop();
            throw;
        }
    }

    public string Logs() => string.Join("\n", _servers.Select((s, i) => $"== smbd on node {i}\n{Tail(s.Log())}")) + "\n" + Cluster.LogTail();

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        try
        {
            foreach (var s in _servers)
            {
                s.Dispose();
            }
            _servers.Clear();
        }
        finally
        {
            _dir.Dispose();
        }
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));
}
