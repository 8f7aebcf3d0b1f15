// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>GET_DBMAP reply (struct ctdb_dbid_map_old): u32 num, then num × {u32 db_id, u8 flags, 3 pad}.</summary>
public sealed record DbMap(IReadOnlyList<DbMapEntry> Dbs)
{
    public int EncodedSize => 4 + (Dbs.Count * DbMapEntry.Size);

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)Dbs.Count);
        int offset = 4;
        foreach (var db in Dbs)
        {
            var entry = buffer.Slice(offset, DbMapEntry.Size);
            entry.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(entry, db.DbId);
            entry[4] = db.Flags;
            offset += DbMapEntry.Size;
        }
        return offset;
    }

    public static DbMap Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 4, "db map");
        int count = Wire.CheckCount(data, 4, BinaryPrimitives.ReadUInt32LittleEndian(data), DbMapEntry.Size, "db map");
        var dbs = new DbMapEntry[count];
        for (int i = 0; i < count; i++)
        {
            var entry = data.Slice(4 + (i * DbMapEntry.Size), DbMapEntry.Size);
            dbs[i] = new DbMapEntry(BinaryPrimitives.ReadUInt32LittleEndian(entry), entry[4]);
        }
        return new DbMap(dbs);
    }
}
