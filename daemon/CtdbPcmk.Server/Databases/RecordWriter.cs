// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Cluster;

namespace CtdbPcmk.Server.Databases;

/// <summary>
/// Stores a record the way every daemon-side write must: decides whether an empty record is
/// kept (so a client on the lmaster finds the record it migrated) or deleted, bumps the rsn
/// of volatile records this node masters, and never stores the transient flags.
/// </summary>
internal sealed class RecordWriter(ClusterState cluster)
{
    /// <summary>Told of every volatile record stored empty while this node masters it (a deletion to vacuum).</summary>
    public Action<CtdbDatabase, ReadOnlySpan<byte>, LtdbHeader>? EmptyKept { get; set; }

    /// <summary>The caller holds the chain lock (or a transaction). Returns the header as stored.</summary>
    public LtdbHeader Store(CtdbDatabase db, ReadOnlySpan<byte> key, LtdbHeader header, ReadOnlySpan<byte> value)
    {
        uint pnn = cluster.Pnn;
        uint flags = header.Flags;
        bool keep;
        if (!value.IsEmpty || (flags & (LtdbHeader.FlagRoMask | LtdbHeader.FlagAutomatic | LtdbHeader.FlagMigratedWithData)) != 0)
        {
            keep = true;
        }
        else if (cluster.Lmaster(key) == pnn)
        {
            keep = (flags & LtdbHeader.FlagVacuumMigrated) == 0 || header.Dmaster != pnn;
        }
        else
        {
            keep = header.Dmaster == pnn;
        }
        if (keep && db.IsVolatile && header.Dmaster == pnn && (flags & LtdbHeader.FlagRoMask) == 0)
        {
            header.Rsn++;
        }
        header.Flags = flags & ~(LtdbHeader.FlagVacuumMigrated | LtdbHeader.FlagAutomatic);
        if (keep)
        {
            db.File.Store(key, header, value);
            if (value.IsEmpty && header.Dmaster == pnn && db.IsVolatile)
            {
                EmptyKept?.Invoke(db, key, header);
            }
        }
        else
        {
            db.File.Delete(key);
        }
        return header;
    }
}
