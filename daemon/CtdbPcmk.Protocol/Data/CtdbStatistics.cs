// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Protocol;

/// <summary>
/// STATISTICS reply: the raw 488-byte struct ctdb_statistics of a 64-bit build. Mutable so a
/// daemon can count into one instance and serialise it on request.
/// </summary>
public sealed class CtdbStatistics
{
    public const int Size = 488;
    /// <summary>MAX_COUNT_BUCKETS.</summary>
    public const int BucketCount = 16;

    public uint NumClients { get; set; }

    public uint Frozen { get; set; }

    public uint Recovering { get; set; }

    public uint ClientPacketsSent { get; set; }

    public uint ClientPacketsRecv { get; set; }

    public uint NodePacketsSent { get; set; }

    public uint NodePacketsRecv { get; set; }

    public uint KeepalivePacketsSent { get; set; }

    public uint KeepalivePacketsRecv { get; set; }

    public uint NodeReqCall { get; set; }

    public uint NodeReplyCall { get; set; }

    public uint NodeReqDmaster { get; set; }

    public uint NodeReplyDmaster { get; set; }

    public uint NodeReplyError { get; set; }

    public uint NodeReqMessage { get; set; }

    public uint NodeReqControl { get; set; }

    public uint NodeReplyControl { get; set; }

    public uint NodeReqTunnel { get; set; }

    public uint ClientReqCall { get; set; }

    public uint ClientReqMessage { get; set; }

    public uint ClientReqControl { get; set; }

    public uint ClientReqTunnel { get; set; }

    public uint TimeoutsCall { get; set; }

    public uint TimeoutsControl { get; set; }

    public uint TimeoutsTraverse { get; set; }

    public LatencyCounter ReclockCtdbd { get; set; }

    public LatencyCounter ReclockRecd { get; set; }

    public uint LocksNumCalls { get; set; }

    public uint LocksNumCurrent { get; set; }

    public uint LocksNumPending { get; set; }

    public uint LocksNumFailed { get; set; }

    public LatencyCounter LocksLatency { get; set; }

    /// <summary>Histogram of lock wait times (16 buckets).</summary>
    public uint[] LocksBuckets { get; } = new uint[BucketCount];

    public uint TotalCalls { get; set; }

    public uint PendingCalls { get; set; }

    public uint ChildwriteCalls { get; set; }

    public uint PendingChildwriteCalls { get; set; }

    /// <summary>Bytes of memory in use by the daemon (truncated to 32 bits).</summary>
    public uint MemoryUsed { get; set; }

    /// <summary>Marks the end of the plain counters in the C struct (__last_counter); carried as is.</summary>
    public uint LastCounter { get; set; }

    public uint MaxHopCount { get; set; }

    /// <summary>Histogram of REQ_CALL hop counts (16 buckets).</summary>
    public uint[] HopCountBucket { get; } = new uint[BucketCount];

    public LatencyCounter CallLatency { get; set; }

    public LatencyCounter ChildwriteLatency { get; set; }

    public uint NumRecoveries { get; set; }

    public Timeval StatisticsStartTime { get; set; }

    public Timeval StatisticsCurrentTime { get; set; }

    public uint TotalRoDelegations { get; set; }

    public uint TotalRoRevokes { get; set; }

    public int Write(Span<byte> buffer)
    {
        var dest = buffer[..Size];
        // Clears the C struct padding at 100, 372 and 444.
        dest.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(dest[0..], NumClients);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[4..], Frozen);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[8..], Recovering);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[12..], ClientPacketsSent);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[16..], ClientPacketsRecv);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[20..], NodePacketsSent);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[24..], NodePacketsRecv);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[28..], KeepalivePacketsSent);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[32..], KeepalivePacketsRecv);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[36..], NodeReqCall);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[40..], NodeReplyCall);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[44..], NodeReqDmaster);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[48..], NodeReplyDmaster);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[52..], NodeReplyError);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[56..], NodeReqMessage);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[60..], NodeReqControl);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[64..], NodeReplyControl);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[68..], NodeReqTunnel);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[72..], ClientReqCall);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[76..], ClientReqMessage);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[80..], ClientReqControl);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[84..], ClientReqTunnel);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[88..], TimeoutsCall);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[92..], TimeoutsControl);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[96..], TimeoutsTraverse);
        ReclockCtdbd.Write(dest[104..]);
        ReclockRecd.Write(dest[136..]);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[168..], LocksNumCalls);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[172..], LocksNumCurrent);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[176..], LocksNumPending);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[180..], LocksNumFailed);
        LocksLatency.Write(dest[184..]);
        WriteBuckets(dest[216..], LocksBuckets);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[280..], TotalCalls);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[284..], PendingCalls);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[288..], ChildwriteCalls);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[292..], PendingChildwriteCalls);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[296..], MemoryUsed);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[300..], LastCounter);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[304..], MaxHopCount);
        WriteBuckets(dest[308..], HopCountBucket);
        CallLatency.Write(dest[376..]);
        ChildwriteLatency.Write(dest[408..]);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[440..], NumRecoveries);
        StatisticsStartTime.Write(dest[448..]);
        StatisticsCurrentTime.Write(dest[464..]);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[480..], TotalRoDelegations);
        BinaryPrimitives.WriteUInt32LittleEndian(dest[484..], TotalRoRevokes);
        return Size;
    }

    public static CtdbStatistics Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "statistics");
        var stats = new CtdbStatistics
        {
            NumClients = BinaryPrimitives.ReadUInt32LittleEndian(data[0..]),
            Frozen = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]),
            Recovering = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]),
            ClientPacketsSent = BinaryPrimitives.ReadUInt32LittleEndian(data[12..]),
            ClientPacketsRecv = BinaryPrimitives.ReadUInt32LittleEndian(data[16..]),
            NodePacketsSent = BinaryPrimitives.ReadUInt32LittleEndian(data[20..]),
            NodePacketsRecv = BinaryPrimitives.ReadUInt32LittleEndian(data[24..]),
            KeepalivePacketsSent = BinaryPrimitives.ReadUInt32LittleEndian(data[28..]),
            KeepalivePacketsRecv = BinaryPrimitives.ReadUInt32LittleEndian(data[32..]),
            NodeReqCall = BinaryPrimitives.ReadUInt32LittleEndian(data[36..]),
            NodeReplyCall = BinaryPrimitives.ReadUInt32LittleEndian(data[40..]),
            NodeReqDmaster = BinaryPrimitives.ReadUInt32LittleEndian(data[44..]),
            NodeReplyDmaster = BinaryPrimitives.ReadUInt32LittleEndian(data[48..]),
            NodeReplyError = BinaryPrimitives.ReadUInt32LittleEndian(data[52..]),
            NodeReqMessage = BinaryPrimitives.ReadUInt32LittleEndian(data[56..]),
            NodeReqControl = BinaryPrimitives.ReadUInt32LittleEndian(data[60..]),
            NodeReplyControl = BinaryPrimitives.ReadUInt32LittleEndian(data[64..]),
            NodeReqTunnel = BinaryPrimitives.ReadUInt32LittleEndian(data[68..]),
            ClientReqCall = BinaryPrimitives.ReadUInt32LittleEndian(data[72..]),
            ClientReqMessage = BinaryPrimitives.ReadUInt32LittleEndian(data[76..]),
            ClientReqControl = BinaryPrimitives.ReadUInt32LittleEndian(data[80..]),
            ClientReqTunnel = BinaryPrimitives.ReadUInt32LittleEndian(data[84..]),
            TimeoutsCall = BinaryPrimitives.ReadUInt32LittleEndian(data[88..]),
            TimeoutsControl = BinaryPrimitives.ReadUInt32LittleEndian(data[92..]),
            TimeoutsTraverse = BinaryPrimitives.ReadUInt32LittleEndian(data[96..]),
            ReclockCtdbd = LatencyCounter.Read(data[104..]),
            ReclockRecd = LatencyCounter.Read(data[136..]),
            LocksNumCalls = BinaryPrimitives.ReadUInt32LittleEndian(data[168..]),
            LocksNumCurrent = BinaryPrimitives.ReadUInt32LittleEndian(data[172..]),
            LocksNumPending = BinaryPrimitives.ReadUInt32LittleEndian(data[176..]),
            LocksNumFailed = BinaryPrimitives.ReadUInt32LittleEndian(data[180..]),
            LocksLatency = LatencyCounter.Read(data[184..]),
            TotalCalls = BinaryPrimitives.ReadUInt32LittleEndian(data[280..]),
            PendingCalls = BinaryPrimitives.ReadUInt32LittleEndian(data[284..]),
            ChildwriteCalls = BinaryPrimitives.ReadUInt32LittleEndian(data[288..]),
            PendingChildwriteCalls = BinaryPrimitives.ReadUInt32LittleEndian(data[292..]),
            MemoryUsed = BinaryPrimitives.ReadUInt32LittleEndian(data[296..]),
            LastCounter = BinaryPrimitives.ReadUInt32LittleEndian(data[300..]),
            MaxHopCount = BinaryPrimitives.ReadUInt32LittleEndian(data[304..]),
            CallLatency = LatencyCounter.Read(data[376..]),
            ChildwriteLatency = LatencyCounter.Read(data[408..]),
            NumRecoveries = BinaryPrimitives.ReadUInt32LittleEndian(data[440..]),
            StatisticsStartTime = Timeval.Read(data[448..]),
            StatisticsCurrentTime = Timeval.Read(data[464..]),
            TotalRoDelegations = BinaryPrimitives.ReadUInt32LittleEndian(data[480..]),
            TotalRoRevokes = BinaryPrimitives.ReadUInt32LittleEndian(data[484..]),
        };
        ReadBuckets(data[216..], stats.LocksBuckets);
        ReadBuckets(data[308..], stats.HopCountBucket);
        return stats;
    }

    private static void WriteBuckets(Span<byte> dest, uint[] buckets)
    {
        if (buckets.Length != BucketCount)
        {
            throw new InvalidOperationException($"statistics bucket arrays must have {BucketCount} entries");
        }
        for (int i = 0; i < BucketCount; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(dest[(i * 4)..], buckets[i]);
        }
    }

    private static void ReadBuckets(ReadOnlySpan<byte> data, uint[] buckets)
    {
        for (int i = 0; i < BucketCount; i++)
        {
            buckets[i] = BinaryPrimitives.ReadUInt32LittleEndian(data[(i * 4)..]);
        }
    }
}
