// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Bench;

/// <summary>Resident set sizes from /proc.</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS of one process in MiB.</summary>
    public static double RssMiB(int pid) => StatusMiB(pid, "VmRSS");

    /// <summary>A size field of /proc/PID/status (VmRSS, RssAnon, RssFile, RssShmem...) in MiB.</summary>
    public static double StatusMiB(int pid, string field)
    {
        string prefix = field + ":";
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                string kb = line[prefix.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        throw new InvalidOperationException($"no {field} in /proc/{pid}/status");
    }

    /// <summary>Sums of VmRSS and of its anonymous part (RssAnon) over a process and its descendants, in MiB.</summary>
    public static (double Rss, double Anon) TreeRssAndAnonMiB(int pid)
    {
        var (rss, anon, _) = TreeSums(pid);
        return (rss, anon);
    }

    /// <summary>Sum of VmRSS over a process and all its descendants (ctdbd forks helpers) in MiB, and their count.</summary>
    public static (double MiB, int Processes) TreeRssMiB(int pid)
    {
        var (rss, _, count) = TreeSums(pid);
        return (rss, count);
    }

    private static (double Rss, double Anon, int Processes) TreeSums(int pid)
    {
        double rss = 0;
        double anon = 0;
        int count = 0;
        foreach (int p in Tree(pid))
        {
            try
            {
                double r = RssMiB(p);
                anon += StatusMiB(p, "RssAnon");
                rss += r;
                count++;
            }
            catch (IOException)
            {
                // The process exited while being read.
            }
        }
        return (rss, anon, count);
    }

    /// <summary>A process and all its descendants, from the parent links in /proc.</summary>
    private static List<int> Tree(int pid)
    {
        var children = new Dictionary<int, List<int>>();
        foreach (string dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int p))
            {
                continue;
            }
            try
            {
                // The command name in /proc/PID/stat is in parentheses and may contain spaces.
                string stat = File.ReadAllText($"{dir}/stat");
                string[] rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                int ppid = int.Parse(rest[1], CultureInfo.InvariantCulture);
                if (!children.TryGetValue(ppid, out var list))
                {
                    children[ppid] = list = [];
                }
                list.Add(p);
            }
            catch (IOException)
            {
                // The process exited while scanning.
            }
        }
        var all = new List<int>();
        var todo = new Stack<int>([pid]);
        while (todo.TryPop(out int p))
        {
            all.Add(p);
            foreach (int c in children.GetValueOrDefault(p) ?? [])
            {
                todo.Push(c);
            }
        }
        return all;
    }
}
