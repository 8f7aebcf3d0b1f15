// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// One single-node cluster of the given daemon, a namespace, and smbd clustered on that
/// daemon serving a world-writable share. The Unix socket reaches the daemon from any
/// namespace, so smbd gets a namespace of its own whatever the harness uses.
/// </summary>
internal sealed class SmbdSite : IAsyncDisposable
{
    private NetNamespace? _ns;
    private SmbdServer? _smbd;

    private SmbdSite(LocalCluster cluster, string workDir)
    {
        Cluster = cluster;
        WorkDir = workDir;
        ShareDir = Path.Combine(workDir, "share");
        LocalDir = Path.Combine(workDir, "local");
    }

    public LocalCluster Cluster { get; }

    public string WorkDir { get; }

    /// <summary>The directory the share exports.</summary>
    public string ShareDir { get; }

    /// <summary>Client-side files to put and get.</summary>
    public string LocalDir { get; }

    internal NetNamespace Namespace => _ns ?? throw new InvalidOperationException("no namespace");

    internal SmbdServer Smbd => _smbd ?? throw new InvalidOperationException("smbd not started");

    public static async Task<SmbdSite> StartAsync(DaemonKind kind)
    {
        var cluster = await Task.Run(() => LocalCluster.Start(kind, 1, ClusterReadiness.Node0Answers, TimeSpan.FromSeconds(60)));
        string work = Path.Combine(Path.GetTempPath(), $"cpsmb-{Guid.NewGuid().ToString("N")[..12]}");
        var site = new SmbdSite(cluster, work);
        try
        {
            Directory.CreateDirectory(site.ShareDir);
            Directory.CreateDirectory(site.LocalDir);
            // Sticky and world-writable like /tmp: the guest user writes here.
            File.SetUnixFileMode(site.ShareDir, (UnixFileMode)0b1_111_111_111);
            site._ns = NetNamespace.Create();
            site._smbd = await SmbdServer.StartAsync(site._ns, cluster.Socket(0), work, site.ShareDir);
            return site;
        }
        catch
        {
            await site.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs smbclient as a guest on the share, in <see cref="LocalDir"/>.</summary>
    public Task<Sh.Result> SmbclientAsync(string commands) =>
        Task.Run(() => Sh.Run(["ip", .. Namespace.Exec("smbclient", "-N", "//127.0.0.1/share", "-c", $"lcd {LocalDir}; {commands}")]));

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_smbd is not null)
            {
                await _smbd.DisposeAsync();
            }
        }
        finally
        {
            try
            {
                if (_ns is not null)
                {
                    _ns.Dispose();
                }
            }
            finally
            {
                Cluster.Dispose();
                if (Directory.Exists(WorkDir))
                {
                    Directory.Delete(WorkDir, recursive: true);
                }
            }
        }
    }
}
