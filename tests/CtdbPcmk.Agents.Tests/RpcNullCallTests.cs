// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Nfs;

namespace CtdbPcmk.Agents.Tests;

/// <summary>The monitor's RPC NULL call to NFSv4, byte for byte (RFC 5531).</summary>
public sealed class RpcNullCallTests
{
    [Fact]
    public void The_call_is_a_last_fragment_of_40_bytes_to_program_100003_version_4_procedure_0()
    {
        Assert.Equal(
            Convert.FromHexString("80000028" + "12345678" + "00000000" + "00000002" + "000186a3" + "00000004" + "00000000" + "0000000000000000" + "0000000000000000"),
            RpcNullCall.Encode(0x12345678));
    }

    [Fact]
    public void Replies_are_checked_for_xid_type_acceptance_and_status()
    {
        var ok = Convert.FromHexString("12345678" + "00000001" + "00000000" + "00000000" + "00000000" + "00000000");
        Assert.Equal("", RpcNullCall.CheckReply(ok, 0x12345678));
        Assert.Contains("xid differs", RpcNullCall.CheckReply(ok, 1));
        var withVerifier = Convert.FromHexString("12345678" + "00000001" + "00000000" + "00000001" + "00000005" + "0102030405000000" + "00000000");
        Assert.Equal("", RpcNullCall.CheckReply(withVerifier, 0x12345678));
        var mismatch = Convert.FromHexString("12345678" + "00000001" + "00000000" + "00000000" + "00000000" + "00000002" + "0000000400000004");
        Assert.Contains("PROG_MISMATCH", RpcNullCall.CheckReply(mismatch, 0x12345678));
        var denied = Convert.FromHexString("12345678" + "00000001" + "00000001" + "00000000");
        Assert.Contains("MSG_DENIED", RpcNullCall.CheckReply(denied, 0x12345678));
        Assert.Contains("too short", RpcNullCall.CheckReply(ok.AsSpan(0, 16), 0x12345678));
        var hugeVerifier = Convert.FromHexString("12345678" + "00000001" + "00000000" + "00000000" + "7fffffff");
        Assert.Contains("too short", RpcNullCall.CheckReply(hugeVerifier, 0x12345678));
    }
}
