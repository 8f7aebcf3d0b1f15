// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb.Tests;

/// <summary>The tdb_open flag sets ctdbd 4.17 uses (ctdb-protocol.md §4.3).</summary>
internal static class CtdbFlagSets
{
    public const TdbFlags Volatile =
        TdbFlags.NoSync | TdbFlags.ClearIfFirst | TdbFlags.IncompatibleHash | TdbFlags.MutexLocking | TdbFlags.DisallowNesting;

    public const TdbFlags Replicated =
        TdbFlags.NoSync | TdbFlags.ClearIfFirst | TdbFlags.IncompatibleHash | TdbFlags.DisallowNesting;

    public const TdbFlags Persistent = TdbFlags.Default | TdbFlags.DisallowNesting;

    /// <summary>ctdbd's DatabaseHashSize tunable.</summary>
    public const int HashSize = 100001;
}
