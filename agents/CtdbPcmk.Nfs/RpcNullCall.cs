// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Nfs;

/// <summary>
/// The ONC RPC NULL call (RFC 5531) to NFS version 4 (program 100003), framed for TCP with a
/// record mark, and its reply's decoding. Pure: no I/O.
/// </summary>
public static class RpcNullCall
{
    public const uint NfsProgram = 100003;
    public const uint NfsVersion = 4;
    private const uint LastFragment = 0x8000_0000;
    private const int BodyLength = 40;

    /// <summary>The call with transaction id <paramref name="xid"/>, record mark included (44 bytes).</summary>
    public static byte[] Encode(uint xid)
    {
        var packet = new byte[4 + BodyLength];
        var s = packet.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(s, LastFragment | BodyLength);
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], xid);
        // msg_type CALL (0), rpcvers 2, program, version, procedure 0 (NULL), then AUTH_NONE
        // credentials and verifier (flavor 0, no body): all zero but the three numbers.
        BinaryPrimitives.WriteUInt32BigEndian(s[12..], 2);
        BinaryPrimitives.WriteUInt32BigEndian(s[16..], NfsProgram);
        BinaryPrimitives.WriteUInt32BigEndian(s[20..], NfsVersion);
        return packet;
    }

    /// <summary>
    /// Reads a reply record (without its record mark): empty when it is a successful reply to
    /// <paramref name="xid"/>, else what is wrong.
    /// </summary>
    public static string CheckReply(ReadOnlySpan<byte> record, uint xid)
    {
        if (record.Length < 12)
        {
            return $"reply of {record.Length} bytes is too short";
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(record) != xid)
        {
            return "reply to another call (xid differs)";
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(record[4..]) != 1)
        {
            return "not an RPC reply";
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(record[8..]) != 0)
        {
            return "call denied (MSG_DENIED)";
        }
        if (record.Length < 20)
        {
            return "accepted reply is too short";
        }
        var verifierLength = BinaryPrimitives.ReadUInt32BigEndian(record[16..]);
        var statusAt = 20 + (long)((verifierLength + 3) & ~3u);
        if (verifierLength > 400 || record.Length < statusAt + 4)
        {
            return "accepted reply is too short";
        }
        return BinaryPrimitives.ReadUInt32BigEndian(record[(int)statusAt..]) switch
        {
            0 => "",
            1 => "NFS program unavailable (PROG_UNAVAIL)",
            2 => "NFS version 4 not served (PROG_MISMATCH)",
            3 => "NULL procedure unavailable (PROC_UNAVAIL)",
            4 => "garbage arguments (GARBAGE_ARGS)",
            var other => $"accept status {other}",
        };
    }

    /// <summary>The length in a record mark, and whether it marks the last fragment.</summary>
    public static (int Length, bool Last) ReadMark(ReadOnlySpan<byte> mark)
    {
        var value = BinaryPrimitives.ReadUInt32BigEndian(mark);
        return ((int)(value & ~LastFragment), (value & LastFragment) != 0);
    }
}
