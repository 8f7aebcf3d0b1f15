// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Server.Databases;

/// <summary>An attached database: its id, kind, TDB file and daemon-side state.</summary>
internal sealed class CtdbDatabase : IDisposable
{
    public CtdbDatabase(uint id, string name, byte flags, string path, TdbFile file)
    {
        Id = id;
        Name = name;
        Flags = flags;
        Path = path;
        File = file;
    }

    public uint Id { get; }
    public string Name { get; }
    /// <summary>DbFlags bits as GET_DBMAP reports them.</summary>
    public byte Flags { get; private set; }
    public string Path { get; }
    public TdbFile File { get; }

    public bool IsPersistent => (Flags & DbFlags.Persistent) != 0;
    public bool IsReplicated => (Flags & DbFlags.Replicated) != 0;
    public bool IsVolatile => !IsPersistent && !IsReplicated;
    public bool IsReadonly => (Flags & DbFlags.Readonly) != 0;
    public bool IsSticky => (Flags & DbFlags.Sticky) != 0;

    /// <summary>Unhealthy reason (null when healthy), reported by DB_GET_HEALTH.</summary>
    public string? Unhealthy { get; set; }

    public bool SeqnumEnabled { get; set; }
    /// <summary>Generation the database was last recovered in.</summary>
    public uint Generation { get; set; }

    /// <summary>What GET_DB_STATISTICS reports of this database.</summary>
    public Statistics.DatabaseStatistics Statistics { get; } = new();

    /// <summary>The ".RO" delegation tracking file created by SET_DB_READONLY.</summary>
    public TdbFile? ReadonlyTracking { get; set; }

    public void SetFlag(byte flag) => Flags |= flag;

    public void Dispose()
    {
        ReadonlyTracking?.Dispose();
        File.Dispose();
    }
}
