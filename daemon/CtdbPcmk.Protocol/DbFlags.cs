// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>Database flags of the db map (CTDB_DB_FLAGS_*, protocol.h).</summary>
public static class DbFlags
{
    public const byte Persistent = 0x01;
    public const byte Readonly = 0x02;
    public const byte Sticky = 0x04;
    public const byte Replicated = 0x08;
}
