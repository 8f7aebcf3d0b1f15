// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Faults.Tests;

/// <summary>
/// The disk run on ctdb-pcmkd (in its own mount namespace, as make faults runs it): node 1's
/// database directories on a small ext4 that is filled, emptied, turned read-only and repaired.
/// Nothing acknowledged may be lost, no commit may be acknowledged while node 1's file system is
/// read-only and its log must name the cause (EROFS), the health agent must call the full and the
/// read-only file system red, and every TDB must pass tdbtool check.
/// </summary>
public sealed class ShortDiskTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Full_and_read_only_file_systems_fail_commits_and_lose_nothing()
    {
        var psi = MountNamespace.Info(["disk", "--impl", "ours", "--short"]);
        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await p.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            // The run and everything it started (its cluster's daemons included).
            p.Kill(entireProcessTree: true);
            throw;
        }
        string all = await stdout + await stderr;
        output.WriteLine(all);
        Assert.True(p.ExitCode == 0, all);
        string result = all[all.IndexOf("== result", StringComparison.Ordinal)..];
        Assert.Contains("acknowledged commits:", result);
        Assert.Matches(@"-- file system full: .*\n(.*\n)*?   ocf:ctdb:health: .*#health-ctdb = red", result);
        // A full file system may still take a commit the TDB has room for; a read-only one takes none,
        // and node 1's log says why (the errno libtdb left: EROFS).
        Assert.Contains("-- file system read-only: commits 2, acknowledged 0", result);
        Assert.Matches(@"-- file system read-only: .*\n(.*\n)*?   log: .*ERR .*commit failed.*Read-only file system", result);
        Assert.Matches(@"-- file system read-only: .*\n(.*\n)*?   ocf:ctdb:health: .*#health-ctdb = red: file system of \S+ is read-only", result);
    }
}
