// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// One three-node cluster of each daemon, started on first use and shared by the tests that
/// leave it as they found it. A cluster that fails to start fails the tests that use it, with the reason.
/// </summary>
public sealed class SharedClusters : IAsyncLifetime
{
    public const int Nodes = 3;
    private readonly Dictionary<DaemonKind, Task<LocalCluster>> _clusters = [];
    private readonly Dictionary<DaemonKind, Task<ClusteredShare>> _smbd = [];
    private readonly Lock _lock = new();

    public Task InitializeAsync() => Task.CompletedTask;

    internal Task<LocalCluster> GetAsync(DaemonKind daemon)
    {
        lock (_lock)
        {
            if (!_clusters.TryGetValue(daemon, out var cluster))
            {
                cluster = Task.Run(() => LocalCluster.Start(daemon, Nodes, ClusterReadiness.Stable, TimeSpan.FromSeconds(90)));
                _clusters[daemon] = cluster;
            }
            return cluster;
        }
    }

    /// <summary>Two smbd on nodes 0 and 1 of the cluster, started on first use.</summary>
    internal Task<ClusteredShare> SmbdAsync(DaemonKind daemon)
    {
        lock (_lock)
        {
            if (!_smbd.TryGetValue(daemon, out var pair))
            {
                pair = Task.Run(async () => await ClusteredShare.StartAsync(await GetAsync(daemon), 2));
                _smbd[daemon] = pair;
            }
            return pair;
        }
    }

    public async Task DisposeAsync()
    {
        var errors = new List<Exception>();
        foreach (var pair in _smbd.Values)
        {
            try
            {
                await (await pair).DisposeAsync();
            }
            catch (Exception) when (!pair.IsCompletedSuccessfully)
            {
                // It failed to start and cleaned up after itself; its tests reported why.
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }
        foreach (var start in _clusters.Values)
        {
            try
            {
                (await start).Dispose();
            }
            catch (Exception) when (!start.IsCompletedSuccessfully)
            {
                // Same: torn down by the failed start.
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        }
        if (errors.Count > 0)
        {
            throw new AggregateException("tearing down the shared clusters failed", errors);
        }
    }
}
