// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>struct timeval of a 64-bit build (16 bytes): i64 seconds, i64 microseconds.</summary>
public readonly record struct Timeval(long Seconds, long Microseconds)
{
    public const int Size = 16;

    public int Write(Span<byte> buffer)
    {
        BinaryPrimitives.WriteInt64LittleEndian(buffer, Seconds);
        BinaryPrimitives.WriteInt64LittleEndian(buffer[8..], Microseconds);
        return Size;
    }

    public static Timeval Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "timeval");
        return new Timeval(
            BinaryPrimitives.ReadInt64LittleEndian(data),
            BinaryPrimitives.ReadInt64LittleEndian(data[8..]));
    }

    public static Timeval FromDateTimeOffset(DateTimeOffset time)
    {
        long ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return new Timeval(ticks / TimeSpan.TicksPerSecond, ticks % TimeSpan.TicksPerSecond / 10);
    }

    public DateTimeOffset ToDateTimeOffset() =>
        DateTimeOffset.UnixEpoch.AddTicks((Seconds * TimeSpan.TicksPerSecond) + (Microseconds * 10));
}
