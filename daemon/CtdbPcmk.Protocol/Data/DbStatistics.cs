// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>One of the ten hot keys of a database: the most migrations to a node within one second, and the key.</summary>
public readonly record struct HotKey(uint Count, ReadOnlyMemory<byte> Key);

/// <summary>
/// GET_DB_STATISTICS' reply (struct ctdb_db_statistics on 64-bit Linux): record-lock counters
/// (calls, current, pending, failed, latency, 16 latency buckets) at 0, vacuum latency at 112,
/// read-only delegations and revokes at 144, 16 hop-count buckets at 152, the number of hot-key
/// slots at 216 (always 10 on the wire), ten slots of {u32 count, pad, u64 pointer, u64 size}
/// at 224, then the slots' key bytes back to back from 464. Pointers are written as zero and
/// ignored when read.
/// </summary>
public sealed class DbStatistics
{
    public const int FixedSize = 464;
    public const int Buckets = 16;
    public const int HotKeySlots = 10;

    public uint LockCalls { get; set; }
    public uint LockCurrent { get; set; }
    public uint LockPending { get; set; }
    public uint LockFailed { get; set; }
    public LatencyCounter LockLatency { get; set; }
    public uint[] LockBuckets { get; init; } = new uint[Buckets];
    public LatencyCounter VacuumLatency { get; set; }
    public uint RoDelegations { get; set; }
    public uint RoRevokes { get; set; }
    public uint[] HopCountBuckets { get; init; } = new uint[Buckets];

    /// <summary>Up to ten hot keys, in slot order.</summary>
    public IReadOnlyList<HotKey> HotKeys { get; set; } = [];

    public int EncodedSize => FixedSize + HotKeys.Take(HotKeySlots).Sum(h => h.Key.Length);

    public int Write(Span<byte> buffer)
    {
        int size = EncodedSize;
        Wire.Require(buffer, size, "db statistics");
        buffer[..size].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(buffer, LockCalls);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[4..], LockCurrent);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[8..], LockPending);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[12..], LockFailed);
        LockLatency.Write(buffer[16..]);
        WriteBuckets(buffer[48..], LockBuckets);
        VacuumLatency.Write(buffer[112..]);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[144..], RoDelegations);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[148..], RoRevokes);
        WriteBuckets(buffer[152..], HopCountBuckets);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer[216..], HotKeySlots);
        int keys = FixedSize;
        for (int i = 0; i < HotKeySlots && i < HotKeys.Count; i++)
        {
            var slot = buffer[(224 + 24 * i)..];
            BinaryPrimitives.WriteUInt32LittleEndian(slot, HotKeys[i].Count);
            BinaryPrimitives.WriteUInt64LittleEndian(slot[16..], (ulong)HotKeys[i].Key.Length);
            HotKeys[i].Key.Span.CopyTo(buffer[keys..]);
            keys += HotKeys[i].Key.Length;
        }
        return size;
    }

    public static DbStatistics Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, FixedSize, "db statistics");
        uint slots = BinaryPrimitives.ReadUInt32LittleEndian(data[216..]);
        if (slots > HotKeySlots)
        {
            ProtocolException.Throw($"db statistics: {slots} hot-key slots (at most {HotKeySlots})");
        }
        var hot = new List<HotKey>();
        int keys = FixedSize;
        for (int i = 0; i < slots; i++)
        {
            var slot = data[(224 + 24 * i)..];
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(slot[16..]);
            if (length > (ulong)(data.Length - keys))
            {
                ProtocolException.Throw($"db statistics: hot key {i} of {length} bytes beyond the {data.Length - keys} left");
            }
            hot.Add(new HotKey(BinaryPrimitives.ReadUInt32LittleEndian(slot), data.Slice(keys, (int)length).ToArray()));
            keys += (int)length;
        }
        return new DbStatistics
        {
            LockCalls = BinaryPrimitives.ReadUInt32LittleEndian(data),
            LockCurrent = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            LockPending = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]),
            LockFailed = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]),
            LockLatency = LatencyCounter.Read(data[16..]),
            LockBuckets = ReadBuckets(data[48..]),
            VacuumLatency = LatencyCounter.Read(data[112..]),
            RoDelegations = BinaryPrimitives.ReadUInt32LittleEndian(data[144..]),
            RoRevokes = BinaryPrimitives.ReadUInt32LittleEndian(data[148..]),
            HopCountBuckets = ReadBuckets(data[152..]),
            HotKeys = hot,
        };
    }

    private static void WriteBuckets(Span<byte> buffer, uint[] buckets)
    {
        for (int i = 0; i < Buckets; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(buffer[(4 * i)..], i < buckets.Length ? buckets[i] : 0);
        }
    }

    private static uint[] ReadBuckets(ReadOnlySpan<byte> data)
    {
        var buckets = new uint[Buckets];
        for (int i = 0; i < Buckets; i++)
        {
            buckets[i] = BinaryPrimitives.ReadUInt32LittleEndian(data[(4 * i)..]);
        }
        return buckets;
    }
}
