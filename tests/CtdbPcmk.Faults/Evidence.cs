// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Faults;

/// <summary>
/// Keeps a failing run's cluster directory (every node's log and database files) and the run's
/// journal under an evidence directory, before the cluster is torn down.
/// </summary>
internal static class Evidence
{
    public static string Keep(string root, string name, LocalCluster c, Journal journal, IEnumerable<string> summary)
    {
        string dir = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.EnumerateFiles(c.Directory, "*", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(c.Directory, file);
            // The FIFO real ctdbd reads and the sockets cannot be copied (a FIFO would block).
            if (rel.EndsWith(".fifo", StringComparison.Ordinal) || rel.EndsWith(".socket", StringComparison.Ordinal))
            {
                continue;
            }
            string target = Path.Combine(dir, rel);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            try
            {
                File.Copy(file, target, overwrite: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
        journal.Save(Path.Combine(dir, "journal.txt"));
        File.WriteAllLines(Path.Combine(dir, "verdict.txt"), summary);
        return dir;
    }
}
