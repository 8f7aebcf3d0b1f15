// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Tdb.Tests;

/// <summary>Values from ctdb-protocol.md §4.5 (db_ids observed from the real daemon).</summary>
public sealed class JenkinsHashTests
{
    public static TheoryData<string, uint> Names => new()
    {
        { "locking.tdb", 0x7A19D84D },
        { "brlock.tdb", 0x4E66C2B2 },
        { "g_lock.tdb", 0x4D2A432B },
        { "leases.tdb", 0x06916E77 },
        { "smbXsrv_session_global.tdb", 0x6B06A26D },
        { "smbXsrv_tcon_global.tdb", 0x68C12C2C },
        { "smbXsrv_open_global.tdb", 0x66F71B8C },
        { "smbXsrv_client_global.tdb", 0x477D2E20 },
        { "smbXsrv_version_global.tdb", 0x521B7544 },
        { "secrets.tdb", 0x7132C184 },
        { "registry.tdb", 0x6CF2837D },
        { "passdb.tdb", 0x3EF19640 },
        { "share_info.tdb", 0xC3078FBA },
        { "account_policy.tdb", 0x2CA251CF },
        { "group_mapping.tdb", 0xA1413774 },
        { "testvol.tdb", 0x10120015 },
    };

    public static TheoryData<string, uint> Keys => new()
    {
        { "", 0xDEADBEEF },
        { "key1", 0x1DE0DF49 },
        { "a", 0x58D68708 },
        { "abc", 0x0E397631 },
        { "0123456789ab", 0x1065E50A },
        { "0123456789abc", 0x7351CE56 },
    };

    public static TheoryData<string, uint> FileIds => new()
    {
        { "00fe000000000000e707b200000000000000000000000000", 0xFF74D885 },
        { "00fe000000000000e607b200000000000000000000000000", 0xC7B983FC },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void DbIdIsTheHashOfTheNameWithItsNul(string name, uint expected) =>
        Assert.Equal(expected, TdbRuntime.JenkinsHash(Encoding.ASCII.GetBytes(name + "\0")));

    [Theory]
    [MemberData(nameof(Keys))]
    public void KeyHashes(string key, uint expected) =>
        Assert.Equal(expected, TdbRuntime.JenkinsHash(Encoding.ASCII.GetBytes(key)));

    [Theory]
    [MemberData(nameof(FileIds))]
    public void LockingTdbFileIdKeys(string hex, uint expected) =>
        Assert.Equal(expected, TdbRuntime.JenkinsHash(Convert.FromHexString(hex)));
}
