// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Protocol;

/// <summary>TRAVERSE_ALL_EXT input (struct ctdb_traverse_all_ext, 32 bytes): traverse_all + u8 withemptyrecords + 7 pad.</summary>
public readonly record struct TraverseAllExt(uint DbId, uint ReqId, uint Pnn, uint ClientReqId, ulong Srvid, bool WithEmptyRecords)
{
    public const int Size = 32;

    public int Write(Span<byte> buffer)
    {
        new TraverseAll(DbId, ReqId, Pnn, ClientReqId, Srvid).Write(buffer);
        buffer[24..Size].Clear();
        buffer[24] = WithEmptyRecords ? (byte)1 : (byte)0;
        return Size;
    }

    public static TraverseAllExt Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "traverse_all_ext");
        var all = TraverseAll.Read(data);
        return new TraverseAllExt(all.DbId, all.ReqId, all.Pnn, all.ClientReqId, all.Srvid, data[24] != 0);
    }
}
