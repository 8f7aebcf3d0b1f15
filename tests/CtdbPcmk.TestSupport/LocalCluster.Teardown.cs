// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Linux;

namespace CtdbPcmk.TestSupport;

public sealed partial class LocalCluster
{
    /// <summary>Every process the harness recorded for the cluster, with their descendants.</summary>
    public IReadOnlyList<(int Pid, long Start)> RecordedProcesses()
    {
        var all = new List<(int, long)>();
        foreach (var node in System.IO.Directory.GetDirectories(Directory, "node.*"))
        {
            foreach (var name in new[] { "pid", "holder.pid", "orphans" })
            {
                var file = Path.Combine(node, name);
                if (!File.Exists(file))
                {
                    continue;
                }
                foreach (var line in File.ReadAllLines(file))
                {
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length != 2)
                    {
                        continue;
                    }
                    var p = (int.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture));
                    all.Add(p);
                    all.AddRange(Descendants(p.Item1));
                }
            }
        }
        return all;
    }

    /// <summary>Start time of a live (not exited) process, or null.</summary>
    public static long? StartTime(int pid) =>
        ProcStat.Read(pid) is { HasExited: false } s ? (long)s.StartTime : null;

    /// <summary>The process still runs: same PID, same start time.</summary>
    public static bool IsRunning((int Pid, long Start) p) => StartTime(p.Pid) == p.Start;

    public static bool NamespaceExists(string name) => File.Exists(Path.Combine("/run/netns", name));

    /// <summary>
    /// Tears the cluster down with the harness, kills what it recorded and deletes the namespace
    /// should it have failed at that, deletes the directory, then throws if the harness failed.
    /// </summary>
    public void Dispose()
    {
        Probe.Dispose();
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }
        var processes = RecordedProcesses();
        string? ns = File.Exists(Path.Combine(Directory, "netns")) ? Namespace : null;
        var r = Harness("teardown");
        foreach (var p in processes.Where(IsRunning))
        {
            ProcessSignal.Send(p.Pid, ProcessSignal.SigKill);
        }
        if (ns is not null && NamespaceExists(ns))
        {
            Sh.Run("ip", "netns", "del", ns);
        }
        System.IO.Directory.Delete(Directory, recursive: true);
        if (!r.Ok)
        {
            throw new InvalidOperationException($"teardown of {Directory} failed: {r}");
        }
    }

    private static IEnumerable<(int, long)> Descendants(int pid)
    {
        IEnumerable<string> tasks;
        try
        {
            tasks = System.IO.Directory.GetDirectories($"/proc/{pid}/task");
        }
        catch (IOException)
        {
            yield break;
        }
        foreach (var task in tasks)
        {
            string children;
            try
            {
                children = File.ReadAllText(Path.Combine(task, "children"));
            }
            catch (IOException)
            {
                continue;
            }
            foreach (var c in children.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var child = int.Parse(c, CultureInfo.InvariantCulture);
                if (StartTime(child) is { } start)
                {
                    yield return (child, start);
                    foreach (var d in Descendants(child))
                    {
                        yield return d;
                    }
                }
            }
        }
    }
}
