// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Samba;

namespace CtdbPcmk.Agents.Tests;

/// <summary>The SMB2 NEGOTIATE codec against bytes written out from MS-SMB2 and captured from smbd 4.17.</summary>
public sealed class Smb2NegotiateTests
{
    private static readonly Guid s_guid = new("00112233-4455-6677-8899-aabbccddeeff");

    // NetBIOS session frame (type 0, length 108), SMB2 header (64 bytes: FE 'SMB', StructureSize
    // 64, command 0, CreditRequest 1, the rest 0), NEGOTIATE request (StructureSize 36, 4
    // dialects, SecurityMode signing enabled, ClientGuid, ClientStartTime 0, 2.0.2 2.1 3.0 3.0.2).
    private const string RequestHex =
        "0000006c"
        + "fe534d42" + "4000" + "0000" + "00000000" + "0000" + "0100" + "00000000" + "00000000"
        + "0000000000000000" + "00000000" + "00000000" + "0000000000000000" + "00000000000000000000000000000000"
        + "2400" + "0400" + "0100" + "0000" + "00000000" + "33221100554477668899aabbccddeeff" + "0000000000000000"
        + "0202" + "1002" + "0003" + "0203";

    // smbd 4.17.12 (Debian) answering the request above: status 0, dialect 0x0302, SPNEGO blob.
    internal const string SmbdResponseHex =
        "000000cafe534d4240000000000000000000010001000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000041000100020300006578700000000000000000000000000007000000000080000000800000008000f078e0ef8f84dd01000000000000000080004a0000000000604806062b0601050502a03e303ca00e300c060a2b06010401823702020aa32a3028a0261b246e6f745f646566696e65645f696e5f5246433431373840706c656173655f69676e6f7265";

    [Fact]
    public void Request_is_the_golden_bytes()
    {
        var buffer = new byte[200];
        var n = Smb2Negotiate.WriteRequest(buffer, s_guid);
        Assert.Equal(112, n);
        Assert.Equal(Smb2Negotiate.RequestSize, n);
        Assert.Equal(RequestHex, Convert.ToHexStringLower(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void Captured_smbd_response_gives_status_0_and_dialect_3_0_2()
    {
        var frame = Convert.FromHexString(SmbdResponseHex);
        Assert.True(Smb2Negotiate.TryReadResponse(frame, out var reply, out var consumed));
        Assert.Equal(frame.Length, consumed);
        Assert.Equal(new Smb2NegotiateReply(0, 0x0302), reply);
        Assert.Equal("SMB 3.0.2", reply.Describe());
    }

    [Fact]
    public void Truncated_response_needs_more_data_at_every_length()
    {
        var frame = Convert.FromHexString(SmbdResponseHex);
        for (var length = 0; length < frame.Length; length++)
        {
            Assert.False(Smb2Negotiate.TryReadResponse(frame.AsSpan(0, length), out _, out var consumed), $"length {length}");
            Assert.Equal(0, consumed);
        }
    }

    [Fact]
    public void A_frame_too_short_for_the_smb2_header_is_malformed()
    {
        // A complete frame of 40 bytes: the SMB2 header needs 64.
        var frame = Convert.FromHexString(SmbdResponseHex)[..44];
        frame[3] = 40;
        var e = Assert.Throws<Smb2ProtocolException>(() => Smb2Negotiate.TryReadResponse(frame, out _, out _));
        Assert.Equal("SMB2 header truncated (40 of 64 bytes)", e.Message);
    }

    [Fact]
    public void Wrong_protocol_id_is_malformed()
    {
        var frame = Convert.FromHexString(SmbdResponseHex);
        frame[4] = 0xFF;    // an SMB1 reply starts FF 'SMB'
        var e = Assert.Throws<Smb2ProtocolException>(() => Smb2Negotiate.TryReadResponse(frame, out _, out _));
        Assert.Equal("not an SMB2 message (protocol id FF534D42)", e.Message);
    }

    [Fact]
    public void Other_frame_types_and_oversized_frames_are_malformed()
    {
        var frame = Convert.FromHexString(SmbdResponseHex);
        frame[0] = 0x85;    // NetBIOS keepalive
        Assert.Throws<Smb2ProtocolException>(() => Smb2Negotiate.TryReadResponse(frame, out _, out _));
        Assert.Throws<Smb2ProtocolException>(() => Smb2Negotiate.TryReadResponse([0, 0x10, 0, 0], out _, out _));
    }

    [Fact]
    public void A_request_echoed_back_is_not_a_response()
    {
        var request = Convert.FromHexString(RequestHex);
        var e = Assert.Throws<Smb2ProtocolException>(() => Smb2Negotiate.TryReadResponse(request, out _, out _));
        Assert.StartsWith("not a NEGOTIATE response", e.Message);
    }

    [Fact]
    public void An_error_status_is_reported_without_a_dialect()
    {
        var frame = Convert.FromHexString(SmbdResponseHex);
        // STATUS_NOT_SUPPORTED (0xC00000BB) at header offset 8.
        frame[12] = 0xBB;
        frame[15] = 0xC0;
        Assert.True(Smb2Negotiate.TryReadResponse(frame, out var reply, out _));
        Assert.False(reply.IsSuccess);
        Assert.Equal("NTSTATUS 0xc00000bb", reply.Describe());
    }
}
