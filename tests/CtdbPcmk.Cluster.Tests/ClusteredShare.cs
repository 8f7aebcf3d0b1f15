// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Clustered smbd, one on each of the first nodes of a cluster, serving the same directory (as
/// several machines would a cluster file system).
/// </summary>
internal sealed class ClusteredShare : IAsyncDisposable
{
    private readonly List<ClusteredSmbd> _servers = [];
    private readonly SmbWorkDir _dir;

    private ClusteredShare(LocalCluster cluster, SmbWorkDir dir)
    {
        Cluster = cluster;
        _dir = dir;
    }

    public LocalCluster Cluster { get; }

    public string ShareDir => _dir.ShareDir;

    /// <summary>Client-side files for smbclient's put and get.</summary>
    public string LocalDir => _dir.LocalDir;

    /// <summary>The smbd clustered on node <paramref name="pnn"/>.</summary>
    public ClusteredSmbd On(int pnn) => _servers[pnn];

    /// <summary>Starts an smbd on each of nodes 0 to <paramref name="servers"/> - 1.</summary>
    public static Task<ClusteredShare> StartAsync(LocalCluster cluster, int servers)
    {
        var share = new ClusteredShare(cluster, SmbWorkDir.Create());
        try
        {
            for (int pnn = 0; pnn < servers; pnn++)
            {
                string work = Path.Combine(share._dir.WorkDir, $"node{pnn}");
                Directory.CreateDirectory(work);
                // Kernel share modes, kernel oplocks and POSIX locking off: the smbd on this one
                // host can only see each other's opens and byte-range locks through the clustered databases.
                share._servers.Add(ClusteredSmbd.Start(cluster.Socket(pnn), work, share.ShareDir, "CLUSTERTEST", 1,
                    "kernel share modes = no", "kernel oplocks = no", "posix locking = no"));
            }
            return Task.FromResult(share);
        }
        catch
        {
            share.Stop();
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
