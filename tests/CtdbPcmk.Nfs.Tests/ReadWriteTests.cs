// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.TestSupport;
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>Data written with the test client reads back the same through it and through libnfs, and the other way round.</summary>
public sealed class ReadWriteTests : IDisposable
{
    private readonly GaneshaHost _host = new();

    [Fact]
    public void Our_client_and_libnfs_read_the_same_bytes()
    {
        var ganesha = _host.Start(_host.Options());
        string text = string.Concat(Enumerable.Range(0, 3000).Select(i => $"line {i}\n"));
        byte[] data = Encoding.ASCII.GetBytes(text);

        using (var client = Nfs4Client.Connect(ganesha.Address, ganesha.Port))
        {
            client.SetClientId($"ctdbpcmk-test-rw {ganesha.Address}/{ganesha.Address} tcp");
            var file = client.Open("/share/written-by-us", ShareAccess.Both, ShareDeny.None, create: true);
            client.Write(file, 0, data.AsSpan(0, 1000));
            client.Write(file, 1000, data.AsSpan(1000));
            Assert.Equal(data, client.Read(file));
            client.Close(file);
            Assert.Equal((ulong)data.Length, client.GetSize("/share/written-by-us"));
        }
        Assert.Equal(data, File.ReadAllBytes(Path.Combine(_host.ExportPath, "written-by-us")));

        string cat = Sh.Ok("nfs-cat", Url(ganesha, "written-by-us"));
        Assert.Equal(text, cat);

        // And the other way: libnfs writes, we read.
        string local = Path.Combine(_host.Dir, "local-copy");
        File.WriteAllText(local, "from libnfs\n");
        Sh.Ok("nfs-cp", local, Url(ganesha, "written-by-libnfs"));
        using (var client = Nfs4Client.Connect(ganesha.Address, ganesha.Port))
        {
            client.SetClientId($"ctdbpcmk-test-rw2 {ganesha.Address}/{ganesha.Address} tcp");
            var file = client.Open("/share/written-by-libnfs", ShareAccess.Read);
            Assert.Equal("from libnfs\n", Encoding.ASCII.GetString(client.Read(file)));
            client.Close(file);
        }
    }

    [Fact]
    public void Missing_file_is_noent()
    {
        var ganesha = _host.Start(_host.Options());
        using var client = Nfs4Client.Connect(ganesha.Address, ganesha.Port);
        client.SetClientId($"ctdbpcmk-test-noent {ganesha.Address}/{ganesha.Address} tcp");
        Assert.Equal(Nfs4Status.NFS4ERR_NOENT, client.TryOpen("/share/absent", ShareAccess.Read, ShareDeny.None, false, out _));
        var e = Assert.Throws<Nfs4Exception>(() => client.Open("/share/absent", ShareAccess.Read));
        Assert.Equal(Nfs4Status.NFS4ERR_NOENT, e.Status);
    }

    public void Dispose() => _host.Dispose();

    private static string Url(TestSupport.Ganesha.GaneshaProcess ganesha, string name) =>
        $"nfs://{ganesha.Address}/share/{name}?version=4&nfsport={ganesha.Port}";
}
