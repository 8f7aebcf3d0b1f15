// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Client;

/// <summary>How a database is attached; selects DB_ATTACH, DB_ATTACH_PERSISTENT or DB_ATTACH_REPLICATED.</summary>
public enum DatabaseKind
{
    Volatile,
    Persistent,
    Replicated,
}
