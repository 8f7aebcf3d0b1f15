// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>AUTH_SYS credentials (RFC 5531 appendix A, flavor 1): authsys_parms.</summary>
public sealed record AuthSys(uint Stamp, string MachineName, uint Uid, uint Gid, IReadOnlyList<uint> Gids)
{
    public const uint Flavor = 1;

    /// <summary>root: uid 0, gid 0, no supplementary groups.</summary>
    public static AuthSys Root(string machineName = "ctdbpcmk-test") => new(0, machineName, 0, 0, []);

    /// <summary>The credential body (the opaque of opaque_auth).</summary>
    public byte[] Encode()
    {
        var w = new XdrWriter().WriteUInt32(Stamp).WriteString(MachineName).WriteUInt32(Uid).WriteUInt32(Gid);
        w.WriteUInt32Array(Gids.ToArray());
        return w.ToArray();
    }
}
