// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Globalization;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// Unmodified smbd (clustering = yes) serving one directory from several nodes: share modes and
/// byte-range locks taken through one node hold through the other (two smbd on nodes 0 and 1 of
/// the shared cluster), and share modes read through read-only delegations (three smbd on a
/// cluster of their own). Concrete classes pick the daemon.
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

    /// <summary>
    /// smbd's own use of read-only delegations (locking.tdb made read-only with ctdb
    /// setdbreadonly). smbd reads a file's share modes (a stat of an open file, a directory
    /// listing) without locking: from its node's copy of the locking.tdb record when that node is
    /// the dmaster or holds a read-only copy, otherwise through a call that asks for a read-only
    /// copy when the node has a copy it cannot use. Opens on nodes 1 and 2, then on 0, leave such
    /// copies on 1 and 2, so their stats get delegations from node 0, and further reads there ask
    /// nothing. Setting delete-on-close through node 0 changes the record: the delegations are
    /// revoked first, and the stats on 1 and 2 then see it pending. A close through node 1 revokes
    /// the second round and takes the record to node 1. A cluster of its own: the read-only flag
    /// cannot be taken off again, and would change how the shared cluster's smbd read locking.tdb.
    /// </summary>
    [Fact]
    public async Task Smbd_reads_share_modes_through_read_only_delegations_that_writers_revoke()
    {
        const string db = "locking.tdb";
        using var c = LocalCluster.Start(Daemon, SharedClusters.Nodes, ClusterReadiness.Stable, TimeSpan.FromSeconds(90));
        await using var share = await ClusteredShare.StartAsync(c, SharedClusters.Nodes);
        for (int pnn = 0; pnn < SharedClusters.Nodes; pnn++)
        {
            // ctdbd sets the flag on the node the tool talks to only.
            var ro = c.Ctdb(pnn, "setdbreadonly", db);
            Assert.True(ro.Ok, $"setdbreadonly on node {pnn}: {ro}");
        }

        using var reader1 = SmbSession.Connect(share.On(1));
        using var reader2 = SmbSession.Connect(share.On(2));
        using var holder = SmbSession.Connect(share.On(0));
        Assert.Equal("OK", reader1.Do("open shared.txt rwd r"));
        Assert.Equal("OK", reader2.Do("open shared.txt rwd r"));
        Assert.Equal("OK", holder.Do("open shared.txt rwd rwd"));
        string key = LockingKey(Path.Combine(share.ShareDir, "shared.txt"));
        var home = LockingRecord(c, 0, key);
        Assert.True(home.Dmaster == 0 && (home.Flags & LtdbHeader.FlagRoMask) == 0, $"node 0 after the opens: {Header(home)}");
        foreach (int reader in new[] { 1, 2 })
        {
            var copy = LockingRecord(c, reader, key);
            Assert.True(copy.Dmaster != reader && (copy.Flags & LtdbHeader.FlagRoMask) == 0, $"node {reader} after the opens: {Header(copy)}");
        }

        // The readers' smbd ask for read-only copies, and use them from then on.
        Assert.Equal("OK", reader1.Do("stat"));
        Assert.Equal("OK", reader2.Do("stat"));
        ExpectDelegated(c, key, holders: [1, 2], delegations: 2, revokes: 0, "after the first stats");
        Assert.Equal("OK", reader1.Do("stat"));
        Assert.Equal("OK", reader2.Do("stat"));
        Assert.Equal("OK shared.txt", reader1.Do("list"));
        Assert.Equal("OK shared.txt", reader2.Do("list"));
        ExpectDelegated(c, key, holders: [1, 2], delegations: 2, revokes: 0, "after more stats and listings");

        // A change through the dmaster's smbd revokes them; the readers see the change.
        Assert.Equal("OK", holder.Do("delete-on-close"));
        ExpectRevoked(c, key, dmaster: 0, revokes: 1, "after delete-on-close through node 0");
        Assert.Equal("OK delete-pending", reader1.Do("stat"));
        Assert.Equal("OK delete-pending", reader2.Do("stat"));
        ExpectDelegated(c, key, holders: [1, 2], delegations: 4, revokes: 1, "after the stats of the pending delete");

        // A change through a holder's smbd: revoked, and the record moves to node 1.
        Assert.Equal("OK", reader1.Do("close"));
        ExpectRevoked(c, key, dmaster: 1, revokes: 2, "after the close through node 1");
        Assert.Equal("OK delete-pending", reader2.Do("stat"));
        var granted = DbStatisticsOutput.Parse(c.Ctdb(1, "dbstatistics", db));
        Assert.True(granted.RoDelegations == 1, $"node 1 granted {granted.RoDelegations} delegations\n{share.Logs()}");
        Assert.Equal(LtdbHeader.FlagRoHaveReadonly, LockingRecord(c, 2, key).Flags & LtdbHeader.FlagRoMask);

        Assert.Equal("OK", holder.Do("close"));
        Assert.Equal("OK", reader2.Do("close"));
        Assert.False(File.Exists(Path.Combine(share.ShareDir, "shared.txt")), "the file outlived its last handle with delete-on-close set");
    }

    /// <summary>Node 0 is the dmaster with delegations out to <paramref name="holders"/>, who hold read-only copies.</summary>
    private static void ExpectDelegated(LocalCluster c, string key, int[] holders, uint delegations, uint revokes, string when)
    {
        var stats = DbStatisticsOutput.Parse(c.Ctdb(0, "dbstatistics", "locking.tdb"));
        var home = LockingRecord(c, 0, key);
        var copies = holders.ToDictionary(p => p, p => LockingRecord(c, p, key));
        string state = $"node 0 granted {stats.RoDelegations} and revoked {stats.RoRevokes}; node 0 {Header(home)}; "
            + string.Join("; ", copies.Select(h => $"node {h.Key} {Header(h.Value)}"));
        Assert.True(stats.RoDelegations == delegations && stats.RoRevokes == revokes, $"{when}: {state}\n{c.LogTail()}");
        Assert.True(home.Dmaster == 0 && (home.Flags & LtdbHeader.FlagRoMask) == LtdbHeader.FlagRoHaveDelegations, $"{when}: {state}");
        Assert.True(copies.Values.All(r => r.Dmaster == 0 && (r.Flags & LtdbHeader.FlagRoMask) == LtdbHeader.FlagRoHaveReadonly && r.Data == home.Data),
            $"{when}: {state}");
    }

    /// <summary>Node 0 counted <paramref name="revokes"/>; no node has RO flags; the record is on <paramref name="dmaster"/>.</summary>
    private static void ExpectRevoked(LocalCluster c, string key, int dmaster, uint revokes, string when)
    {
        var stats = DbStatisticsOutput.Parse(c.Ctdb(0, "dbstatistics", "locking.tdb"));
        var records = Enumerable.Range(0, SharedClusters.Nodes).ToDictionary(p => p, p => LockingRecord(c, p, key));
        string state = $"node 0 revoked {stats.RoRevokes}; " + string.Join("; ", records.Select(r => $"node {r.Key} {Header(r.Value)}"));
        Assert.True(stats.RoRevokes == revokes, $"{when}: {state}\n{c.LogTail()}");
        Assert.True(records.Values.All(r => (r.Flags & LtdbHeader.FlagRoMask) == 0), $"{when}: {state}");
        Assert.True(records[dmaster].Dmaster == dmaster, $"{when}: {state}");
    }

    /// <summary>A file's locking.tdb record on node <paramref name="pnn"/>, header included.</summary>
    private static CatTdbRecord LockingRecord(LocalCluster c, int pnn, string key)
    {
        var records = CatTdbOutput.Parse(c.Ctdb(pnn, "cattdb", "locking.tdb"));
        Assert.True(records.TryGetValue(key, out var record), $"node {pnn} has no locking.tdb record \"{key}\"; its keys: {string.Join(", ", records.Keys)}");
        return record;
    }

    private static string Header(CatTdbRecord r) => $"(dmaster {r.Dmaster}, rsn {r.Rsn}, flags 0x{r.Flags:x8}, data {r.Data.Length} characters)";

    /// <summary>smbd's locking.tdb key of a file, as cattdb prints it: the file id (device, inode, 0; 64 bits each, little-endian).</summary>
    private static string LockingKey(string path)
    {
        var id = Sh.Ok("stat", "-c", "%d %i", path).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var key = new byte[24];
        BinaryPrimitives.WriteUInt64LittleEndian(key, ulong.Parse(id[0], CultureInfo.InvariantCulture));
        BinaryPrimitives.WriteUInt64LittleEndian(key.AsSpan(8), ulong.Parse(id[1], CultureInfo.InvariantCulture));
        return CatTdbOutput.KeyText(key);
    }

    /// <summary>Either answer smbd gives a lock request that fails at once on a conflict.</summary>
    private static readonly string[] LockConflicts = [SmbSession.LockNotGranted, "ERR 0xc0000054"];
}
