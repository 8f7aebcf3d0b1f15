// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults.Tests;

/// <summary>
/// A short kill run on ctdb-pcmkd: ptrans writers on a persistent and a replicated database on
/// all three nodes while nodes are SIGKILLed and restarted (the leader role given to a survivor
/// when the leader dies); nothing acknowledged may be lost or come back, every node must end OK
/// with identical copies. The seed is random and printed, so a failure can be replayed with
/// tests/faults/kills.sh.
/// </summary>
public sealed class ShortKillTests(ITestOutputHelper output)
{
    [Fact]
    public void Kills_during_writes_lose_nothing_acknowledged()
    {
        int seed = Random.Shared.Next();
        var journal = new Journal();
        var r = KillRun.Execute(new KillOptions(DaemonKind.Ours, 3, seed, "/tmp/faultlocal-evidence", TimeSpan.FromSeconds(60)), journal);
        var lines = r.Lines().ToList();
        foreach (var l in lines)
        {
            output.WriteLine(l);
        }
        Assert.True(r.Passed, string.Join("\n", lines));
        Assert.Equal(3, r.Kills);
        Assert.True(r.Acked > 0 && r.Checked > 0, string.Join("\n", lines));
    }
}
