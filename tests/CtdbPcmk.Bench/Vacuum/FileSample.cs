// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Bench.Vacuum;

/// <summary>One look at a node's copy of the churned database: records (empty ones among them) and file size.</summary>
internal readonly record struct FileSample(double Seconds, long Records, long Empty, long Bytes)
{
    /// <summary>Counts through <paramref name="tdb"/> (the process may hold a file open only once).</summary>
    public static FileSample Take(TdbFile tdb, double seconds)
    {
        long records = 0;
        long empty = 0;
        tdb.TraverseRead((_, value) =>
        {
            records++;
            if (value.Length == LtdbHeader.Size)
            {
                empty++;
            }
            return true;
        });
        return new FileSample(seconds, records, empty, new FileInfo(tdb.Path).Length);
    }
}
