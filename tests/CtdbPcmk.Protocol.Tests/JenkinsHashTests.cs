// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Protocol.Tests;

public class JenkinsHashTests
{
    // The table of the protocol reference, §4.5 (checked there against libtdb and real db ids).
    public static TheoryData<string, uint> Values => new()
    {
        { "", 0xDEADBEEF },
        { "6c6f636b696e672e74646200", 0x7A19D84D },                 // locking.tdb\0
        { "62726c6f636b2e74646200", 0x4E66C2B2 },                   // brlock.tdb\0
        { "675f6c6f636b2e74646200", 0x4D2A432B },                   // g_lock.tdb\0
        { "6c65617365732e74646200", 0x06916E77 },                   // leases.tdb\0
        { Text("smbXsrv_session_global.tdb\0"), 0x6B06A26D },
        { Text("smbXsrv_tcon_global.tdb\0"), 0x68C12C2C },
        { Text("smbXsrv_open_global.tdb\0"), 0x66F71B8C },
        { Text("smbXsrv_client_global.tdb\0"), 0x477D2E20 },
        { Text("smbXsrv_version_global.tdb\0"), 0x521B7544 },
        { Text("secrets.tdb\0"), 0x7132C184 },
        { Text("registry.tdb\0"), 0x6CF2837D },
        { Text("passdb.tdb\0"), 0x3EF19640 },
        { Text("share_info.tdb\0"), 0xC3078FBA },
        { Text("account_policy.tdb\0"), 0x2CA251CF },
        { Text("group_mapping.tdb\0"), 0xA1413774 },
        { Text("testvol.tdb\0"), 0x10120015 },
        { Text("key1"), 0x1DE0DF49 },
        { Text("a"), 0x58D68708 },
        { Text("abc"), 0x0E397631 },
        { Text("0123456789ab"), 0x1065E50A },
        { Text("0123456789abc"), 0x7351CE56 },
        { "00fe000000000000e707b200000000000000000000000000", 0xFF74D885 },
        { "00fe000000000000e607b200000000000000000000000000", 0xC7B983FC },
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void Matches_reference_table(string hex, uint expected)
    {
        Assert.Equal(expected, JenkinsHash.Hash(Hex.Parse(hex)));
    }

    [Fact]
    public void Lmaster_of_key1_with_two_nodes_is_node1()
    {
        var map = new VnnMap(2, [0, 1]);
        Assert.Equal(1u, map.LmasterOf("key1"u8));
    }

    private static string Text(string s) => Hex.Of(Encoding.ASCII.GetBytes(s));
}
