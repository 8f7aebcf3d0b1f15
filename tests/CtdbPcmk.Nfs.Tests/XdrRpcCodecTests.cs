// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.TestSupport.Nfs4;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>The client's encodings, byte for byte, against layouts worked out by hand from RFC 4506, 5531 and 7531.</summary>
public sealed class XdrRpcCodecTests
{
    [Fact]
    public void Opaque_and_string_are_length_prefixed_and_padded_to_four_bytes()
    {
        var w = new XdrWriter().WriteOpaque([0xAA]).WriteString("share").WriteFixedOpaque([1, 2, 3, 4]).WriteBool(true);
        Assert.Equal("00000001" + "AA000000" + "00000005" + "7368617265000000" + "01020304" + "00000001",
            Convert.ToHexString(w.ToArray()));
    }

    [Fact]
    public void Reader_reads_what_the_writer_wrote_and_rejects_short_data()
    {
        var w = new XdrWriter().WriteUInt64(0x0102030405060708).WriteString("ab").WriteUInt32Array([7, 8]);
        var r = new XdrReader(w.ToArray());
        Assert.Equal(0x0102030405060708ul, r.ReadUInt64());
        Assert.Equal("ab", r.ReadString());
        Assert.Equal([7u, 8u], r.ReadUInt32Array());
        Assert.Equal(0, r.Remaining);
        Assert.Throws<InvalidDataException>(() => new XdrReader(new byte[] { 0, 0, 0, 9, 1 }).ReadOpaque());
    }

    [Fact]
    public void Null_call_with_auth_none_is_ten_words_after_the_record_mark()
    {
        var w = new XdrWriter();
        RpcMessage.WriteCallHeader(w, 0x01020304, Nfs4Compound.Program, Nfs4Compound.Version, Nfs4Compound.ProcNull, null);
        byte[] body = w.ToArray();
        // xid, CALL, rpcvers 2, program 100003 (0x186A3), version 4, procedure 0, cred AUTH_NONE
        // with an empty body, verf AUTH_NONE with an empty body.
        Assert.Equal("01020304" + "00000000" + "00000002" + "000186A3" + "00000004" + "00000000"
            + "00000000" + "00000000" + "00000000" + "00000000", Convert.ToHexString(body));
        // Last fragment bit and a length of 40.
        Assert.Equal(0x80000028u, RpcRecordTransport.Header(body.Length));
    }

    [Fact]
    public void Auth_sys_credential_for_root()
    {
        byte[] body = AuthSys.Root("ctdbpcmk-test").Encode();
        // stamp 0, machinename "ctdbpcmk-test" (13 bytes + 3 of padding), uid 0, gid 0, no gids.
        Assert.Equal("00000000" + "0000000D" + "637464627063 6D6B2D74657374 000000".Replace(" ", "", StringComparison.Ordinal)
            + "00000000" + "00000000" + "00000000", Convert.ToHexString(body));
    }

    [Fact]
    public void Compound_header_and_operations()
    {
        byte[] args = new Nfs4Compound().PutRootFh().Lookup("share").GetFh().Encode();
        // tag "" , minorversion 0, 3 operations: PUTROOTFH (24), LOOKUP (15) "share", GETFH (10).
        Assert.Equal("00000000" + "00000000" + "00000003" + "00000018" + "0000000F" + "00000005" + "7368617265000000"
            + "0000000A", Convert.ToHexString(args));
    }

    [Fact]
    public void Lock_with_a_new_lock_owner()
    {
        var stateId = new Nfs4StateId(1, Enumerable.Range(1, 12).Select(i => (byte)i).ToArray());
        byte[] args = new Nfs4Compound().LockNewOwner(LockType.Write, reclaim: true, 0, 100, 2, stateId, 0, 0x1122334455667788, [0x6F]).Encode();
        Assert.Equal("000000000000000000000001" // tag, minorversion, one operation
            + "0000000C" + "00000002" + "00000001" // LOCK, WRITE_LT, reclaim TRUE
            + "0000000000000000" + "0000000000000064" // offset 0, length 100
            + "00000001" + "00000002" // new_lock_owner TRUE, open_seqid 2
            + "00000001" + "0102030405060708090A0B0C" // open stateid
            + "00000000" + "1122334455667788" + "00000001" + "6F000000", // lock_seqid, lock_owner4
            Convert.ToHexString(args));
    }

    [Fact]
    public void Reply_with_lock_denied_is_decoded()
    {
        var w = new XdrWriter()
            .WriteUInt32(7).WriteUInt32(RpcMessage.Reply).WriteUInt32(RpcMessage.MsgAccepted) // xid, REPLY, MSG_ACCEPTED
            .WriteUInt32(0).WriteOpaque([]).WriteUInt32(0) // verf AUTH_NONE, SUCCESS
            .WriteUInt32(10010).WriteString("").WriteUInt32(2) // COMPOUND status, tag, two results
            .WriteUInt32(22).WriteUInt32(0) // PUTFH ok
            .WriteUInt32(12).WriteUInt32(10010) // LOCK denied
            .WriteUInt64(5).WriteUInt64(10).WriteUInt32(2).WriteUInt64(0xAB).WriteOpaque("own"u8);
        var r = new XdrReader(w.ToArray());
        RpcMessage.ReadReplyHeader(r, 7);
        var reply = Nfs4CompoundReply.Decode(r);
        Assert.Equal(Nfs4Status.NFS4ERR_DENIED, reply.Status);
        var denied = Assert.IsType<LockDeniedResult>(reply.Last);
        Assert.Equal((5ul, 10ul, LockType.Write, 0xABul), (denied.Offset, denied.Length, denied.Type, denied.OwnerClientId));
        Assert.Equal("own"u8.ToArray(), denied.Owner);
    }

    [Fact]
    public void Rejected_call_throws()
    {
        var w = new XdrWriter().WriteUInt32(9).WriteUInt32(RpcMessage.Reply).WriteUInt32(RpcMessage.MsgAccepted)
            .WriteUInt32(0).WriteOpaque([]).WriteUInt32(2).WriteUInt32(4).WriteUInt32(4); // PROG_MISMATCH 4..4
        var e = Assert.Throws<RpcException>(() => RpcMessage.ReadReplyHeader(new XdrReader(w.ToArray()), 9));
        Assert.Contains("PROG_MISMATCH 4..4", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Record_marking_joins_fragments()
    {
        byte[] wire = [0x00, 0x00, 0x00, 0x02, 0xAA, 0xBB, 0x80, 0x00, 0x00, 0x01, 0xCC];
        var transport = new RpcRecordTransport(new MemoryStream(wire));
        Assert.Equal(new byte[] { 0xAA, 0xBB, 0xCC }, transport.ReadRecord());
    }

    [Theory]
    [InlineData(Nfs4Status.NFS4_OK, true)]
    [InlineData(Nfs4Status.NFS4ERR_DENIED, true)]
    [InlineData(Nfs4Status.NFS4ERR_GRACE, true)]
    [InlineData(Nfs4Status.NFS4ERR_BAD_SEQID, false)]
    [InlineData(Nfs4Status.NFS4ERR_STALE_CLIENTID, false)]
    public void Owner_seqid_advances_except_after_the_listed_errors(Nfs4Status status, bool advances) =>
        Assert.Equal(advances, Nfs4Client.AdvancesSeqid(status));

    [Fact]
    public void Status_values_are_the_protocol_values()
    {
        Assert.Equal(10013u, (uint)Nfs4Status.NFS4ERR_GRACE);
        Assert.Equal(10033u, (uint)Nfs4Status.NFS4ERR_NO_GRACE);
        Assert.Equal(10034u, (uint)Nfs4Status.NFS4ERR_RECLAIM_BAD);
        Assert.Equal(10010u, (uint)Nfs4Status.NFS4ERR_DENIED);
        Assert.Equal(10022u, (uint)Nfs4Status.NFS4ERR_STALE_CLIENTID);
        Assert.Equal(10023u, (uint)Nfs4Status.NFS4ERR_STALE_STATEID);
        Assert.Equal(10011u, (uint)Nfs4Status.NFS4ERR_EXPIRED);
    }
}
