// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb;

/// <summary>enum TDB_ERROR from tdb.h.</summary>
public enum TdbError
{
    Success = 0,
    Corrupt = 1,
    Io = 2,
    Lock = 3,
    OutOfMemory = 4,
    Exists = 5,
    NoLock = 6,
    LockTimeout = 7,
    NoExist = 8,
    InvalidArgument = 9,
    ReadOnly = 10,
    Nesting = 11,
}
