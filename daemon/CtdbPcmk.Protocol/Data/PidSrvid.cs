// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// CHECK_PID_SRVID input: i32 pid then u64 srvid at offset 4 — 12 bytes, packed. (The C struct
/// has padding and is 16 bytes, but smbd and ctdbd both use the packed 12-byte form.)
/// </summary>
public readonly record struct PidSrvid(int Pid, ulong Srvid)
{
    public const int Size = 12;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer, Pid);
        BinaryPrimitives.WriteUInt64LittleEndian(buffer[4..], Srvid);
        return Size;
    }

    public static PidSrvid Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "pid_srvid");
        return new PidSrvid(
            BinaryPrimitives.ReadInt32LittleEndian(data),
            BinaryPrimitives.ReadUInt64LittleEndian(data[4..]));
    }
}
