// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>
/// A cluster made by tests/local-daemons in a temporary directory. Dispose tears it down and,
/// should the harness have failed at that, deletes the namespace and kills what it recorded,
/// so a failing test leaves nothing behind.
/// </summary>
internal sealed class LocalCluster : IDisposable
{
    public LocalCluster()
    {
        // Short path: socket paths under it must fit in sun_path.
        Dir = Directory.CreateTempSubdirectory("cpk-").FullName;
    }

    public string Dir { get; }

    public Run.Result Do(params string[] args) => Run.LocalDaemons([Dir, .. args]);

    /// <summary>Runs a harness command that must succeed and returns its stdout.</summary>
    public string Ok(params string[] args)
    {
        var r = Do(args);
        Assert.True(r.ExitCode == 0, $"local-daemons {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }

    public string Namespace => File.ReadAllText(Path.Combine(Dir, "netns")).Trim();

    public static bool NamespaceExists(string name) =>
        File.Exists(Path.Combine("/run/netns", name));

    /// <summary>Every process the harness recorded for the cluster, with their descendants.</summary>
    public IReadOnlyList<(int Pid, long Start)> RecordedProcesses()
    {
        var all = new List<(int, long)>();
        foreach (var node in Directory.GetDirectories(Dir, "node.*"))
        {
            foreach (var name in new[] { "pid", "holder.pid", "orphans" })
            {
                var file = Path.Combine(node, name);
                if (!File.Exists(file))
                    continue;
                foreach (var line in File.ReadAllLines(file))
                {
                    var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (f.Length != 2)
                        continue;
                    var p = (int.Parse(f[0], CultureInfo.InvariantCulture), long.Parse(f[1], CultureInfo.InvariantCulture));
                    all.Add(p);
                    all.AddRange(Descendants(p.Item1));
                }
            }
        }
        return all;
    }

    /// <summary>Start time of a live (not zombie) process, or null.</summary>
    public static long? StartTime(int pid)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        // Fields after "(comm)": state is the first, starttime the 20th.
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return f[0] == "Z" ? null : long.Parse(f[19], CultureInfo.InvariantCulture);
    }

    public static bool Alive((int Pid, long Start) p) => StartTime(p.Pid) == p.Start;

    private static IEnumerable<(int, long)> Descendants(int pid)
    {
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.GetDirectories($"/proc/{pid}/task");
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
                        yield return d;
                }
            }
        }
    }

    public void Dispose()
    {
        var processes = RecordedProcesses();
        string? ns = File.Exists(Path.Combine(Dir, "netns")) ? Namespace : null;
        Do("teardown");
        // Only reached with leftovers when the harness itself failed.
        foreach (var p in processes.Where(Alive))
            Run.Program("kill", ["-KILL", p.Pid.ToString(CultureInfo.InvariantCulture)]);
        if (ns is not null && NamespaceExists(ns))
            Run.Program("ip", ["netns", "del", ns]);
        Directory.Delete(Dir, recursive: true);
    }
}
