// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>One db map entry (struct ctdb_dbid): u32 db_id, u8 flags (<see cref="DbFlags"/>), 3 pad.</summary>
public readonly record struct DbMapEntry(uint DbId, byte Flags)
{
    public const int Size = 8;
}
