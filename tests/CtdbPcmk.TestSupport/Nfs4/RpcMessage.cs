// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>
/// The ONC RPC version 2 call and reply headers (RFC 5531 section 9): rpc_msg with call_body, and
/// the reply's accepted/rejected arms. Pure encode/decode.
/// </summary>
public static class RpcMessage
{
    public const uint Call = 0;
    public const uint Reply = 1;
    public const uint RpcVersion = 2;
    public const uint AuthNone = 0;

    public const uint MsgAccepted = 0;
    public const uint MsgDenied = 1;

    /// <summary>Writes rpc_msg up to and including the verifier; the procedure's arguments follow.</summary>
    public static void WriteCallHeader(XdrWriter w, uint xid, uint program, uint version, uint procedure, AuthSys? credentials)
    {
        w.WriteUInt32(xid).WriteUInt32(Call).WriteUInt32(RpcVersion).WriteUInt32(program).WriteUInt32(version).WriteUInt32(procedure);
        if (credentials is null)
        {
            w.WriteUInt32(AuthNone).WriteOpaque([]);
        }
        else
        {
            w.WriteUInt32(AuthSys.Flavor).WriteOpaque(credentials.Encode());
        }
        w.WriteUInt32(AuthNone).WriteOpaque([]);
    }

    /// <summary>
    /// Reads a reply header for <paramref name="xid"/> up to the procedure's results; a denied
    /// call or an accept_stat other than SUCCESS throws <see cref="RpcException"/>.
    /// </summary>
    public static void ReadReplyHeader(XdrReader r, uint xid)
    {
        uint gotXid = r.ReadUInt32();
        uint type = r.ReadUInt32();
        if (gotXid != xid || type != Reply)
        {
            throw new InvalidDataException($"RPC reply xid {gotXid} type {type}, expected reply to xid {xid}");
        }
        uint replyStat = r.ReadUInt32();
        if (replyStat == MsgDenied)
        {
            uint rejectStat = r.ReadUInt32();
            string detail = rejectStat == 0 ? $"RPC_MISMATCH {r.ReadUInt32()}..{r.ReadUInt32()}" : $"AUTH_ERROR {r.ReadUInt32()}";
            throw new RpcException($"RPC call {xid} denied: {detail}");
        }
        if (replyStat != MsgAccepted)
        {
            throw new InvalidDataException($"RPC reply_stat {replyStat}");
        }
        r.ReadUInt32(); // verifier flavor
        r.ReadOpaque(400);
        uint acceptStat = r.ReadUInt32();
        if (acceptStat != 0)
        {
            string names = acceptStat switch
            {
                1 => "PROG_UNAVAIL",
                2 => $"PROG_MISMATCH {r.ReadUInt32()}..{r.ReadUInt32()}",
                3 => "PROC_UNAVAIL",
                4 => "GARBAGE_ARGS",
                5 => "SYSTEM_ERR",
                _ => acceptStat.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            throw new RpcException($"RPC call {xid} not executed: {names}");
        }
    }
}
