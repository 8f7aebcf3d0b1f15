// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// One node's own copy of a persistent database, read straight from the TDB file the daemon
/// names (GETDBPATH) with libtdb: what that node would serve, independent of any traverse code.
/// </summary>
internal static class PersistentCopy
{
    private const string SequenceKey = "__db_sequence_number__";

    /// <summary>Key → value of every record with data (a deleted record keeps an empty body).</summary>
    public static Dictionary<string, string> Read(LocalCluster c, int pnn, string db)
    {
        string path;
        using (var client = CtdbClient.Connect(c.Socket(pnn)))
        {
            client.Timeout = TimeSpan.FromSeconds(20);
            path = client.GetDbPath(client.AttachDatabase(db, DatabaseKind.Persistent));
        }
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
}
