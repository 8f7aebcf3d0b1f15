// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Bench;

/// <summary>Resident set sizes from /proc.</summary>
internal static class ProcessMemory
{
    /// <summary>VmRSS of one process in MiB.</summary>
    public static double RssMiB(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                string kb = line["VmRSS:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        throw new InvalidOperationException($"no VmRSS in /proc/{pid}/status");
    }

    /// <summary>Sum of VmRSS over a process and all its descendants (ctdbd forks helpers) in MiB, and their count.</summary>
    public static (double MiB, int Processes) TreeRssMiB(int pid)
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
        double total = 0;
        int count = 0;
        var todo = new Stack<int>([pid]);
        while (todo.TryPop(out int p))
        {
            try
            {
                total += RssMiB(p);
                count++;
            }
            catch (IOException)
            {
                continue;
            }
            foreach (int c in children.GetValueOrDefault(p) ?? [])
            {
                todo.Push(c);
            }
        }
        return (total, count);
    }
}
