// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics.CodeAnalysis;

namespace CtdbPcmk.Tdb;

/// <summary>tdb_open flags, values as in tdb.h (also what the DB_OPEN_FLAGS control returns).</summary>
[Flags]
[SuppressMessage("Naming", "CA1711", Justification = "Named after tdb_open's tdb_flags argument.")]
public enum TdbFlags
{
    Default = 0,
    ClearIfFirst = 1,
    Internal = 2,
    NoLock = 4,
    NoMmap = 8,
    Convert = 16,
    BigEndian = 32,
    NoSync = 64,
    Seqnum = 128,
    Volatile = 256,
    AllowNesting = 512,
    DisallowNesting = 1024,
    IncompatibleHash = 2048,
    MutexLocking = 4096,
}
