// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// smbd on the real ctdbd (baseline: the scenarios themselves are right) and smbd on
/// ctdb-pcmkd, started in parallel.
/// </summary>
public sealed class SmbdFixture : IAsyncLifetime
{
    private readonly Dictionary<DaemonKind, Task<SmbdSite>> _sites = [];

    /// <summary>Starts both at once; each test awaits its own side, so a side that fails to start fails only its own tests.</summary>
    public Task InitializeAsync()
    {
        _sites[DaemonKind.Ctdb] = SmbdSite.StartAsync(DaemonKind.Ctdb);
        _sites[DaemonKind.Ours] = SmbdSite.StartAsync(ClusterPairFixture.CandidateKind());
        return Task.CompletedTask;
    }

    internal Task<SmbdSite> GetAsync(DaemonKind kind) => _sites[kind];

    public async Task DisposeAsync()
    {
        foreach (var start in _sites.Values)
        {
            try
            {
                (await start).Dispose();
            }
            catch (Exception) when (!start.IsCompletedSuccessfully)
            {
                // It failed to start and already cleaned up after itself; its tests reported why.
            }
        }
    }
}
