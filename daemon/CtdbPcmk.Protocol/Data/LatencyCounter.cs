// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>struct ctdb_latency_counter (32 bytes): i32 num, 4 pad, double min, max, total (seconds).</summary>
public readonly record struct LatencyCounter(int Num, double Min, double Max, double Total)
{
    public const int Size = 32;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteInt32LittleEndian(buffer, Num);
        BinaryPrimitives.WriteInt32LittleEndian(buffer[4..], 0);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer[8..], Min);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer[16..], Max);
        BinaryPrimitives.WriteDoubleLittleEndian(buffer[24..], Total);
        return Size;
    }

    public static LatencyCounter Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "latency counter");
        return new LatencyCounter(
            BinaryPrimitives.ReadInt32LittleEndian(data),
            BinaryPrimitives.ReadDoubleLittleEndian(data[8..]),
            BinaryPrimitives.ReadDoubleLittleEndian(data[16..]),
            BinaryPrimitives.ReadDoubleLittleEndian(data[24..]));
    }

    /// <summary>Adds one sample, as ctdbd's CTDB_UPDATE_LATENCY does (a min of 0 means "unset").</summary>
    public LatencyCounter Add(double seconds) => new(
        Num + 1,
        Min == 0.0 || seconds < Min ? seconds : Min,
        Math.Max(Max, seconds),
        Total + seconds);
}
