// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Two unmodified smbd (clustering = yes) on nodes 0 and 1 serving one directory: share modes and byte-range locks taken through one node hold through the other. Concrete classes pick the daemon.
/// </summary>
public abstract class SmbScenarios(SharedClusters clusters)
{
    protected abstract DaemonKind Daemon { get; }

    [Fact]
    public async Task A_deny_write_open_through_node_0_blocks_writers_through_node_1()
    {
        var pair = await clusters.SmbdAsync(Daemon);
        await File.WriteAllTextAsync(Path.Combine(pair.LocalDir, "first.txt"), "first version\n");
        await File.WriteAllTextAsync(Path.Combine(pair.LocalDir, "second.txt"), "second version\n");
        var create = pair.On(0).Smbclient(pair.LocalDir, "put first.txt denywrite.txt");
        Assert.True(create.Ok, $"put through node 0: {create}\n{pair.Logs()}");

        using (var holder = SmbSession.Connect(pair.On(0)))
        {
            Assert.Equal("OK", holder.Do("open denywrite.txt r"));

            var write = pair.On(1).Smbclient(pair.LocalDir, "put second.txt denywrite.txt");
            Assert.False(write.Ok, $"write through node 1 succeeded while node 0 holds deny-write: {write}");
            Assert.Contains("NT_STATUS_SHARING_VIOLATION", write.Output, StringComparison.Ordinal);
            using (var other = SmbSession.Connect(pair.On(1)))
            {
                Assert.Equal(SmbSession.SharingViolation, other.Do("open denywrite.txt rw"));
            }

            // Deny-write still lets node 1's clients read.
            var read = pair.On(1).Smbclient(pair.LocalDir, "get denywrite.txt denywrite-held.txt");
            Assert.True(read.Ok, $"get through node 1 while held: {read}\n{pair.Logs()}");
            Assert.Equal("first version\n", await File.ReadAllTextAsync(Path.Combine(pair.LocalDir, "denywrite-held.txt")));

            Assert.Equal("OK", holder.Do("close"));
        }

        var after = pair.On(1).Smbclient(pair.LocalDir, "put second.txt denywrite.txt; get denywrite.txt denywrite-after.txt");
        Assert.True(after.Ok, $"put through node 1 after close: {after}\n{pair.Logs()}");
        Assert.Equal("second version\n", await File.ReadAllTextAsync(Path.Combine(pair.LocalDir, "denywrite-after.txt")));
    }

    [Fact]
    public async Task A_byte_range_lock_through_node_0_blocks_the_range_through_node_1()
    {
        var pair = await clusters.SmbdAsync(Daemon);
        using var holder = SmbSession.Connect(pair.On(0));
        using var other = SmbSession.Connect(pair.On(1));
        Assert.Equal("OK", holder.Do("open locked.bin rw"));
        Assert.Equal("OK", other.Do("open locked.bin rw"));

        Assert.Equal("OK", holder.Do("lock 100 10"));
        // Overlapping ranges conflict through the other node; a disjoint one does not.
        Assert.Contains(other.Do("lock 105 10"), LockConflicts);
        Assert.Contains(other.Do("lock 95 6"), LockConflicts);
        Assert.Equal("OK", other.Do("lock 200 10"));
        // And the other way round.
        Assert.Contains(holder.Do("lock 205 1"), LockConflicts);

        Assert.Equal("OK", holder.Do("unlock 100 10"));
        Assert.Equal("OK", other.Do("lock 100 10"));
        Assert.Contains(holder.Do("lock 100 1"), LockConflicts);
        Assert.Equal("OK", other.Do("unlock 100 10"));
        Assert.Equal("OK", other.Do("unlock 200 10"));
        Assert.Equal("OK", holder.Do("lock 100 10"));
        Assert.Equal("OK", holder.Do("unlock 100 10"));
        Assert.Equal("OK", holder.Do("close"));
        Assert.Equal("OK", other.Do("close"));
    }

    /// <summary>Either answer smbd gives a lock request that fails at once on a conflict.</summary>
    private static readonly string[] LockConflicts = [SmbSession.LockNotGranted, "ERR 0xc0000054"];
}
