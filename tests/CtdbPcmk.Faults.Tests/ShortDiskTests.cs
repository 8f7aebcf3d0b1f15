// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults.Tests;

/// <summary>
/// The disk run on ctdb-pcmkd (in its own mount namespace, as make faults runs it): node 1's
/// database directories on a small ext4 that is filled, emptied, turned read-only and repaired.
/// Nothing acknowledged may be lost, no commit through node 1 may be acknowledged while its file
/// system is read-only and its log must name the cause (EROFS), the leader must ban node 1 once
/// it keeps failing recoveries, the health agent must call the full and the
/// read-only file system red, and every TDB must pass tdbtool check.
/// </summary>
public sealed class ShortDiskTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Full_and_read_only_file_systems_fail_commits_and_lose_nothing()
    {
        var r = await Sh.RunTreeAsync(MountNamespace.Info(["disk", "--impl", "ours", "--short"]), TimeSpan.FromMinutes(5));
        string all = r.Stdout + r.Stderr;
        output.WriteLine(all);
        Assert.True(r.Code == 0, all);
        string result = all[all.IndexOf("== result", StringComparison.Ordinal)..];
        Assert.Contains("acknowledged commits:", result);
        Assert.Matches(@"-- file system full: .*\n(.*\n)*?   ocf:ctdb:health: .*#health-ctdb = red", result);
        // A full file system may still take a commit the TDB has room for; a read-only one takes none
        // through node 1, and node 1's log says why (the errno libtdb left: EROFS). The leader bans
        // node 1 once it has failed recoveries for 10 s, and the others go on without it.
        Assert.Matches(@"-- file system read-only: commits 2, acknowledged [01] \(through node 1: 0 of 1\)", result);
        Assert.Matches(@"-- file system full: .*\n(.*\n)*?   ctdb status \(node 0\): .*pnn:1 \S+\s+BANNED", result);
        Assert.Matches(@"-- file system read-only: .*\n(.*\n)*?   log: .*ERR .*commit failed.*Read-only file system", result);
        Assert.Matches(@"-- file system read-only: .*\n(.*\n)*?   ocf:ctdb:health: .*#health-ctdb = red: file system of \S+ (is read-only|takes no write: .*Read-only file system)", result);
    }
}
