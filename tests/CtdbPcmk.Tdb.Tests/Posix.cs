// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb.Tests;

/// <summary>open(2) flags and modes as on Linux.</summary>
internal static class Posix
{
    public const int ORdOnly = 0x0;
    public const int ORdWr = 0x2;
    public const int OCreat = 0x40;
    public const int Mode0600 = 0x180;
}
