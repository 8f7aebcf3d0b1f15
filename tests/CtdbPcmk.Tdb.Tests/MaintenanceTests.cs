// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb.Tests;

public sealed class MaintenanceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private TdbFile Create(string name, TdbFlags flags) =>
        TdbFile.Open(_dir.File(name), CtdbFlagSets.HashSize, flags, Posix.ORdWr | Posix.OCreat, Posix.Mode0600);

    [Fact]
    public void SeqnumMovesOnlyWhenEnabled()
    {
        using TdbFile tdb = Create("seq.tdb.0", CtdbFlagSets.Volatile);
        tdb.Store("a"u8, "1"u8);
        Assert.Equal(0, tdb.Seqnum);

        tdb.EnableSeqnum();
        tdb.Store("a"u8, "2"u8);
        Assert.Equal(1, tdb.Seqnum);
        tdb.Delete("a"u8);
        Assert.Equal(2, tdb.Seqnum);
        tdb.IncrementSeqnumNonblock();
        Assert.Equal(3, tdb.Seqnum);
    }

    [Fact]
    public void SeqnumIsSharedThroughTheFile()
    {
        using TdbFile tdb = Create("seq.tdb.0", CtdbFlagSets.Persistent);
        tdb.EnableSeqnum();
        tdb.IncrementSeqnumNonblock();
        tdb.IncrementSeqnumNonblock();
        string copy = _dir.File("seq-copy.tdb");
        File.Copy(tdb.Path, copy);
        using TdbFile other = TdbFile.Open(copy, 0, CtdbFlagSets.Persistent, Posix.ORdWr, 0);
        Assert.Equal(2, other.Seqnum);
    }

    [Fact]
    public void CheckAcceptsAHealthyFile()
    {
        using TdbFile tdb = Create("chk.tdb.0", CtdbFlagSets.Persistent);
        for (int i = 0; i < 100; i++)
        {
            tdb.Store(BitConverter.GetBytes(i), new byte[i]);
        }
        Assert.True(tdb.Check());
    }

    [Fact]
    public void CheckFindsCorruption()
    {
        string path = _dir.File("bad.tdb.0");
        using (TdbFile tdb = Create("bad.tdb.0", CtdbFlagSets.Persistent))
        {
            for (int i = 0; i < 100; i++)
            {
                tdb.Store(BitConverter.GetBytes(i), new byte[64]);
            }
        }
        // Overwrite the record area after the header and hash table with garbage.
        byte[] content = File.ReadAllBytes(path);
        int recordArea = 168 + (4 * (CtdbFlagSets.HashSize + 1));
        for (int i = recordArea; i < content.Length; i += 7)
        {
            content[i] = 0xA5;
        }
        File.WriteAllBytes(path, content);
        using TdbFile corrupt = TdbFile.Open(path, 0, CtdbFlagSets.Persistent, Posix.ORdWr, 0);
        Assert.False(corrupt.Check());
    }

    [Fact]
    public void WipeRemovesEverything()
    {
        using TdbFile tdb = Create("wipe.tdb.0", CtdbFlagSets.Volatile);
        tdb.Store("a"u8, "1"u8);
        tdb.Store("b"u8, "2"u8);
        tdb.Wipe();
        Assert.False(tdb.Exists("a"u8));
        Assert.Equal(0, tdb.TraverseRead((_, _) => true));
        tdb.Store("c"u8, "3"u8);
        Assert.True(tdb.Exists("c"u8));
    }

    [Fact]
    public void RepackKeepsRecords()
    {
        using TdbFile tdb = Create("repack.tdb.0", CtdbFlagSets.Persistent);
        for (int i = 0; i < 200; i++)
        {
            tdb.Store(BitConverter.GetBytes(i), new byte[256]);
        }
        for (int i = 0; i < 200; i += 2)
        {
            tdb.Delete(BitConverter.GetBytes(i));
        }
        tdb.Repack();
        Assert.Equal(100, tdb.TraverseRead((_, _) => true));
        Assert.True(tdb.Exists(BitConverter.GetBytes(1)));
        Assert.False(tdb.Exists(BitConverter.GetBytes(2)));
        Assert.True(tdb.Check());
    }
}
