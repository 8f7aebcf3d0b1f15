// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>The three kinds of database: attached with DB_ATTACH, DB_ATTACH_PERSISTENT or DB_ATTACH_REPLICATED.</summary>
public enum DatabaseKind
{
    Volatile,
    Persistent,
    Replicated,
}
