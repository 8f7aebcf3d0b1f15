// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Two clustered smbd, one on node 0 and one on node 1 of a cluster, serving the same directory
/// (as two machines would a cluster file system).
/// </summary>
internal sealed class SmbdPair : IAsyncDisposable
{
    private readonly List<ClusteredSmbd> _servers = [];

    private SmbdPair(LocalCluster cluster, string workDir)
    {
        Cluster = cluster;
        WorkDir = workDir;
        ShareDir = Path.Combine(workDir, "share");
        LocalDir = Path.Combine(workDir, "local");
    }

    public LocalCluster Cluster { get; }

    public string WorkDir { get; }

    public string ShareDir { get; }

    /// <summary>Client-side files for smbclient's put and get.</summary>
    public string LocalDir { get; }

    /// <summary>The smbd clustered on node <paramref name="pnn"/> (0 or 1).</summary>
    public ClusteredSmbd On(int pnn) => _servers[pnn];

    public static Task<SmbdPair> StartAsync(LocalCluster cluster)
    {
        var pair = new SmbdPair(cluster, Path.Combine("/tmp", $"cpk3smb-{Guid.NewGuid().ToString("N")[..10]}"));
        try
        {
            Directory.CreateDirectory(pair.ShareDir);
            Directory.CreateDirectory(pair.LocalDir);
            // Sticky and world-writable like /tmp: the guest user writes here.
            File.SetUnixFileMode(pair.ShareDir, (UnixFileMode)0b1_111_111_111);
            for (int pnn = 0; pnn < 2; pnn++)
            {
                string work = Path.Combine(pair.WorkDir, $"node{pnn}");
                Directory.CreateDirectory(work);
                pair._servers.Add(ClusteredSmbd.Start(cluster.Socket(pnn), work, pair.ShareDir));
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
            if (Directory.Exists(WorkDir))
            {
                Directory.Delete(WorkDir, recursive: true);
            }
        }
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(30));
}
