// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// Two single-node clusters with the same layout, started in parallel: the real ctdbd
/// (reference) and ctdb-pcmkd (candidate). Both are torn down even when one fails to start.
/// </summary>
public sealed class ClusterPairFixture : IAsyncLifetime
{
    private LocalCluster? _reference;
    private LocalCluster? _candidate;

    internal LocalCluster Reference => _reference ?? throw new InvalidOperationException("reference cluster not started");

    internal LocalCluster Candidate => _candidate ?? throw new InvalidOperationException("candidate cluster not started");

    public async Task InitializeAsync()
    {
        var reference = LocalCluster.StartAsync(DaemonKind.Ctdb);
        var candidate = LocalCluster.StartAsync(CandidateKind());
        try
        {
            await Task.WhenAll(reference, candidate).ConfigureAwait(false);
        }
        catch
        {
            // Whichever did start must not outlive the failed fixture.
            await DisposeStartedAsync(reference).ConfigureAwait(false);
            await DisposeStartedAsync(candidate).ConfigureAwait(false);
            throw;
        }
        _reference = reference.Result;
        _candidate = candidate.Result;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (_candidate is not null)
            {
                await _candidate.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            if (_reference is not null)
            {
                await _reference.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The daemon under test. CTDBPCMK_CONFORMANCE_CANDIDATE=ctdb runs the real ctdbd on both
    /// sides, which checks the scenarios and the normaliser themselves: every test must pass then.
    /// </summary>
    internal static DaemonKind CandidateKind() =>
        Environment.GetEnvironmentVariable("CTDBPCMK_CONFORMANCE_CANDIDATE") == "ctdb" ? DaemonKind.Ctdb : DaemonKind.Ours;

    private static async Task DisposeStartedAsync(Task<LocalCluster> start)
    {
        if (start.IsCompletedSuccessfully)
        {
            await start.Result.DisposeAsync().ConfigureAwait(false);
        }
    }
}
