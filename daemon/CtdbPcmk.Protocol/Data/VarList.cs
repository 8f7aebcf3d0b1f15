// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;

namespace CtdbPcmk.Protocol;

/// <summary>
/// LIST_TUNABLES reply (struct ctdb_control_list_tunable): u32 length including the NUL, then
/// ":Name1:Name2:...:NameN\0" — a leading ':' and no trailing one. An empty list is just "\0".
/// </summary>
public sealed record VarList(IReadOnlyList<string> Names)
{
    public int EncodedSize => 4 + Encoding.UTF8.GetByteCount(Joined()) + 1;

    public int Write(Span<byte> buffer)
    {
        int n = CString.Write(buffer[4..], Joined());
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, (uint)n);
        return 4 + n;
    }

    public static VarList Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, 4, "var list");
        var text = CString.Decode(Wire.Slice(data, 4, BinaryPrimitives.ReadUInt32LittleEndian(data), "var list"));
        return new VarList(text.Split(':', StringSplitOptions.RemoveEmptyEntries));
    }

    private string Joined() => Names.Count == 0 ? string.Empty : ":" + string.Join(':', Names);
}
