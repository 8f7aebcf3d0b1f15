// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Tdb.Tests;

public sealed class TraverseTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly TdbFile _tdb;

    public TraverseTests()
    {
        _tdb = TdbFile.Open(_dir.File("trav.tdb.0"), CtdbFlagSets.HashSize, CtdbFlagSets.Volatile, Posix.ORdWr | Posix.OCreat, Posix.Mode0600);
        for (int i = 0; i < 50; i++)
        {
            _tdb.Store(Encoding.ASCII.GetBytes($"key{i}"), Encoding.ASCII.GetBytes($"value{i}"));
        }
    }

    public void Dispose()
    {
        _tdb.Dispose();
        _dir.Dispose();
    }

    public static TheoryData<bool> Modes => new() { false, true };

    private int Run(bool read, TdbFile.TraverseCallback callback) =>
        read ? _tdb.TraverseRead(callback) : _tdb.Traverse(callback);

    [Theory]
    [MemberData(nameof(Modes))]
    public void VisitsEveryRecord(bool read)
    {
        var seen = new Dictionary<string, string>();
        int count = Run(read, (key, value) =>
        {
            seen.Add(Encoding.ASCII.GetString(key), Encoding.ASCII.GetString(value));
            return true;
        });
        Assert.Equal(50, count);
        Assert.Equal(50, seen.Count);
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal($"value{i}", seen[$"key{i}"]);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void StopsWhenTheCallbackReturnsFalse(bool read)
    {
        int calls = 0;
        int count = Run(read, (_, _) => ++calls < 7);
        Assert.Equal(7, calls);
        Assert.Equal(7, count);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void ExceptionInCallbackStopsAndPropagates(bool read)
    {
        int calls = 0;
        var ex = Assert.Throws<InvalidOperationException>(() => Run(read, (_, _) =>
            ++calls == 3 ? throw new InvalidOperationException("stop here") : true));
        Assert.Equal("stop here", ex.Message);
        Assert.Equal(3, calls);
        // The file is usable afterwards: no lock was left behind.
        Assert.Equal(50, _tdb.TraverseRead((_, _) => true));
        _tdb.Store("after"u8, "x"u8);
    }

    [Fact]
    public void WriteTraverseMayDeleteRecords()
    {
        int count = _tdb.Traverse((key, _) =>
        {
            if (key[^1] % 2 == 0)
            {
                _tdb.Delete(key);
            }
            return true;
        });
        Assert.Equal(50, count);
        Assert.Equal(25, _tdb.TraverseRead((key, _) =>
        {
            Assert.True(key[^1] % 2 == 1);
            return true;
        }));
    }

    [Fact]
    public void EmptyDatabaseVisitsNothing()
    {
        _tdb.Wipe();
        Assert.Equal(0, _tdb.Traverse((_, _) => throw new InvalidOperationException("no records expected")));
    }
}
