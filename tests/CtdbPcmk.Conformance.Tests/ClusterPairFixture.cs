// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// Two single-node clusters with the same layout, started in parallel: the real ctdbd
/// (reference) and ctdb-pcmkd (candidate). Both are torn down even when one fails to start.
/// </summary>
public sealed class ClusterPairFixture : IAsyncLifetime
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(60);
    private LocalCluster? _reference;
    private LocalCluster? _candidate;

    internal LocalCluster Reference => _reference ?? throw new InvalidOperationException("reference cluster not started");

    internal LocalCluster Candidate => _candidate ?? throw new InvalidOperationException("candidate cluster not started");

    public async Task InitializeAsync()
    {
        var reference = Task.Run(() => LocalCluster.Start(DaemonKind.Ctdb, 1, ClusterReadiness.Node0Answers, s_readyTimeout));
        var candidate = Task.Run(() => LocalCluster.Start(CandidateKind(), 1, ClusterReadiness.Node0Answers, s_readyTimeout));
        try
        {
            await Task.WhenAll(reference, candidate).ConfigureAwait(false);
        }
        catch
        {
            // Whichever did start must not outlive the failed fixture.
            DisposeStarted(reference);
            DisposeStarted(candidate);
            throw;
        }
        _reference = reference.Result;
        _candidate = candidate.Result;
    }

    public Task DisposeAsync()
    {
        try
        {
            _candidate?.Dispose();
        }
        finally
        {
            _reference?.Dispose();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// The daemon under test. CTDBPCMK_CONFORMANCE_CANDIDATE=ctdb runs the real ctdbd on both
    /// sides, which checks the scenarios and the normaliser themselves: every test must pass then.
    /// </summary>
    internal static DaemonKind CandidateKind() =>
        Environment.GetEnvironmentVariable("CTDBPCMK_CONFORMANCE_CANDIDATE") == "ctdb" ? DaemonKind.Ctdb : DaemonKind.Ours;

    private static void DisposeStarted(Task<LocalCluster> start)
    {
        if (start.IsCompletedSuccessfully)
        {
            start.Result.Dispose();
        }
    }
}
