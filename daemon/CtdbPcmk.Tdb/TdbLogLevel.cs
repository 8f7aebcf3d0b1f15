// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb;

/// <summary>enum tdb_debug_level from tdb.h.</summary>
public enum TdbLogLevel
{
    Fatal = 0,
    Error = 1,
    Warning = 2,
    Trace = 3,
}
