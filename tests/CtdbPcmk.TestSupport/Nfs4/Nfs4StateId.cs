// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>stateid4: a sequence number and 12 opaque bytes the server chose.</summary>
public sealed record Nfs4StateId(uint Seqid, byte[] Other)
{
    public const int OtherLength = 12;

    /// <summary>The anonymous stateid (all zeros).</summary>
    public static Nfs4StateId Anonymous { get; } = new(0, new byte[OtherLength]);

    public void Write(XdrWriter w) => w.WriteUInt32(Seqid).WriteFixedOpaque(Other);

    public static Nfs4StateId Read(XdrReader r) => new(r.ReadUInt32(), r.ReadFixedOpaque(OtherLength));

    public override string ToString() => $"{Seqid}:{Convert.ToHexString(Other)}";
}
