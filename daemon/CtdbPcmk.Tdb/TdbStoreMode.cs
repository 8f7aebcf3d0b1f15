// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb;

/// <summary>The flag argument of tdb_store (TDB_REPLACE, TDB_INSERT, TDB_MODIFY).</summary>
public enum TdbStoreMode
{
    /// <summary>Create or overwrite.</summary>
    Replace = 1,

    /// <summary>Create only; an existing record fails with <see cref="TdbError.Exists"/>.</summary>
    Insert = 2,

    /// <summary>Overwrite only; a missing record fails with <see cref="TdbError.NoExist"/>.</summary>
    Modify = 3,
}
