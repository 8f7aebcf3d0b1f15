// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// Unmodified smbd 4.17 with clustering = yes on the daemon, used through smbclient. Every
/// scenario also runs on the real ctdbd as a baseline, so a broken scenario shows up there.
/// </summary>
public sealed class SmbdTests(SmbdFixture fixture) : IClassFixture<SmbdFixture>
{
    [Theory]
    [InlineData(DaemonKind.Ctdb)]
    [InlineData(DaemonKind.Ours)]
    public async Task Smbd_keeps_its_databases_in_the_daemon(DaemonKind kind)
    {
        var site = await fixture.GetAsync(kind);
        var map = site.Cluster.Ctdb(0, "getdbmap");
        Assert.Equal(0, map.Code);
        // smbd's share-mode and session tables are clustered: they must be attached through the daemon.
        Assert.Contains("name:locking.tdb", map.Stdout, StringComparison.Ordinal);
        Assert.Contains("name:smbXsrv_session_global.tdb", map.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DaemonKind.Ctdb)]
    [InlineData(DaemonKind.Ours)]
    public async Task Ls_put_get_rm(DaemonKind kind)
    {
        var site = await fixture.GetAsync(kind);
        byte[] content = RandomContent(64 * 1024, seed: 1);
        await File.WriteAllBytesAsync(Path.Combine(site.LocalDir, "basic.bin"), content);

        var put = await site.SmbclientAsync("put basic.bin basic-remote.bin; ls");
        Assert.True(put.Code == 0, $"put: {put}\n{site.Smbd.Log()}");
        Assert.Contains("basic-remote.bin", put.Stdout, StringComparison.Ordinal);
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(site.ShareDir, "basic-remote.bin")));

        var get = await site.SmbclientAsync("get basic-remote.bin basic-back.bin");
        Assert.True(get.Code == 0, $"get: {get}");
        Assert.Equal(content, await File.ReadAllBytesAsync(Path.Combine(site.LocalDir, "basic-back.bin")));

        var rm = await site.SmbclientAsync("rm basic-remote.bin; ls");
        Assert.True(rm.Code == 0, $"rm: {rm}");
        Assert.DoesNotContain("basic-remote.bin", rm.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(site.ShareDir, "basic-remote.bin")));
    }

    [Theory]
    [InlineData(DaemonKind.Ctdb)]
    [InlineData(DaemonKind.Ours)]
    public async Task Two_clients_at_once(DaemonKind kind)
    {
        var site = await fixture.GetAsync(kind);
        // Large enough that the two sessions overlap on the server.
        byte[] a = RandomContent(4 * 1024 * 1024, seed: 2);
        byte[] b = RandomContent(4 * 1024 * 1024, seed: 3);
        await File.WriteAllBytesAsync(Path.Combine(site.LocalDir, "two-a.bin"), a);
        await File.WriteAllBytesAsync(Path.Combine(site.LocalDir, "two-b.bin"), b);

        var results = await Task.WhenAll(
            site.SmbclientAsync("put two-a.bin two-a-remote.bin; get two-a-remote.bin two-a-back.bin"),
            site.SmbclientAsync("put two-b.bin two-b-remote.bin; get two-b-remote.bin two-b-back.bin"));

        Assert.True(results[0].Code == 0, $"client A: {results[0]}");
        Assert.True(results[1].Code == 0, $"client B: {results[1]}");
        Assert.Equal(a, await File.ReadAllBytesAsync(Path.Combine(site.LocalDir, "two-a-back.bin")));
        Assert.Equal(b, await File.ReadAllBytesAsync(Path.Combine(site.LocalDir, "two-b-back.bin")));
    }

    [Theory]
    [InlineData(DaemonKind.Ctdb)]
    [InlineData(DaemonKind.Ours)]
    public async Task Deny_write_share_mode_blocks_a_second_writer_until_closed(DaemonKind kind)
    {
        var site = await fixture.GetAsync(kind);
        await File.WriteAllTextAsync(Path.Combine(site.LocalDir, "first.txt"), "first version\n");
        await File.WriteAllTextAsync(Path.Combine(site.LocalDir, "second.txt"), "second version\n");
        var create = await site.SmbclientAsync("put first.txt shared.txt");
        Assert.True(create.Code == 0, $"put: {create}");

        await using (var holder = await ShareModeHolder.OpenDenyWriteAsync(site.Namespace, site.WorkDir, "shared.txt"))
        {
            var write = await site.SmbclientAsync("put second.txt shared.txt");
            Assert.NotEqual(0, write.Code);
            Assert.Contains("NT_STATUS_SHARING_VIOLATION", write.Stdout + write.Stderr, StringComparison.Ordinal);

            // Deny-write still lets others read.
            var read = await site.SmbclientAsync("get shared.txt shared-while-held.txt");
            Assert.True(read.Code == 0, $"get while held: {read}");
            Assert.Equal("first version\n", await File.ReadAllTextAsync(Path.Combine(site.LocalDir, "shared-while-held.txt")));

            await holder.CloseAsync();
        }

        var after = await site.SmbclientAsync("put second.txt shared.txt; get shared.txt shared-after.txt");
        Assert.True(after.Code == 0, $"put after close: {after}");
        Assert.Equal("second version\n", await File.ReadAllTextAsync(Path.Combine(site.LocalDir, "shared-after.txt")));
    }

    private static byte[] RandomContent(int size, int seed)
    {
        var data = new byte[size];
        new Random(seed).NextBytes(data);
        return data;
    }
}
