// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Faults;

/// <summary>
/// One node's own copy of a persistent or replicated database, read straight from the TDB file
/// the node names (GETDBPATH) with libtdb: key → value of every record with data (a deleted
/// record keeps an empty body), without the sequence number record.
/// </summary>
internal static class DbCopy
{
    public const string SequenceKey = "__db_sequence_number__";

    public static Dictionary<string, string> Read(LocalCluster c, int pnn, string db, DatabaseKind kind)
    {
        string path;
        using (var client = CtdbClient.Connect(c.Socket(pnn)))
        {
            client.Timeout = TimeSpan.FromSeconds(20);
            path = client.GetDbPath(client.AttachDatabase(db, kind));
        }
        return ReadFile(path);
    }

    public static Dictionary<string, string> ReadFile(string path)
    {
        var records = new Dictionary<string, string>();
        using var tdb = TdbFile.Open(path, 0, TdbFlags.Default, 0 /* O_RDONLY */, 0);
        tdb.TraverseRead((key, value) =>
        {
            string k = Encoding.UTF8.GetString(key).TrimEnd('\0');
            if (k != SequenceKey && value.Length > LtdbHeader.Size)
            {
                records[k] = Encoding.UTF8.GetString(value[LtdbHeader.Size..]);
            }
            return true;
        });
        return records;
    }

    /// <summary>Whether two copies hold the same keys and values; the first differences otherwise.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        var diff = new List<string>();
        foreach (var key in a.Keys.Union(b.Keys).Order(StringComparer.Ordinal))
        {
            string? x = a.TryGetValue(key, out var xa) ? xa : null;
            string? y = b.TryGetValue(key, out var yb) ? yb : null;
            if (x != y)
            {
                diff.Add($"{key}: '{x ?? "(absent)"}' vs '{y ?? "(absent)"}'");
            }
        }
        return diff;
    }
}
