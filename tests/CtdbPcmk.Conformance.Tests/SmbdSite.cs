// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// One single-node cluster of the given daemon, a namespace, and smbd clustered on that
/// daemon serving a world-writable share. The Unix socket reaches the daemon from any
/// namespace, so smbd gets a namespace of its own whatever the harness uses.
/// </summary>
internal sealed class SmbdSite : IDisposable
{
    private readonly SmbWorkDir _dir;
    private ClusteredSmbd? _smbd;

    private SmbdSite(LocalCluster cluster, SmbWorkDir dir)
    {
        Cluster = cluster;
        _dir = dir;
    }

    public LocalCluster Cluster { get; }

    public string WorkDir => _dir.WorkDir;

    /// <summary>The directory the share exports.</summary>
    public string ShareDir => _dir.ShareDir;

    /// <summary>Client-side files to put and get.</summary>
    public string LocalDir => _dir.LocalDir;

    internal NetNamespace Namespace => Smbd.Namespace;

    internal ClusteredSmbd Smbd => _smbd ?? throw new InvalidOperationException("smbd not started");

    public static async Task<SmbdSite> StartAsync(DaemonKind kind)
    {
        var cluster = await Task.Run(() => LocalCluster.Start(kind, 1, ClusterReadiness.Node0Answers, TimeSpan.FromSeconds(60)));
        var site = new SmbdSite(cluster, SmbWorkDir.Create());
        try
        {
            site._smbd = ClusteredSmbd.Start(cluster.Socket(0), site.WorkDir, site.ShareDir, "CONFTEST", 2);
            return site;
        }
        catch
        {
            site.Dispose();
            throw;
        }
    }

    /// <summary>Runs smbclient as a guest on the share, in <see cref="LocalDir"/>.</summary>
    public Task<Sh.Result> SmbclientAsync(string commands) =>
        Task.Run(() => Smbd.Smbclient(LocalDir, commands));

    public void Dispose()
    {
        try
        {
            _smbd?.Dispose();
        }
        finally
        {
            try
            {
                Cluster.Dispose();
            }
            finally
            {
                _dir.Dispose();
            }
        }
    }
}
