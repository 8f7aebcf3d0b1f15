// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>Signals and finds the processes of a started daemon; never by name, only by PID and start time.</summary>
public static class ProcessTree
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    public const int SigCont = 18;

    /// <summary>
    /// The process and everything it started: its descendants by parent PID, and the members of
    /// the session it leads (the agent starts each daemon in a session of its own, so a child
    /// whose parent already exited is still found, even when the daemon itself is gone). Only
    /// processes started no earlier than it.
    /// </summary>
    public static List<TrackedProcess> WithDescendants(TrackedProcess root)
    {
        var result = new List<TrackedProcess>();
        var all = ProcStat.ReadAll().Where(p => p.StartTime >= root.StartTime && !p.HasExited).ToList();
        // A session is named by its leader's PID: once that PID is reused, the name is not ours.
        var sessionOurs = root.IsAlive || !all.Exists(p => p.Pid == root.Pid);
        var members = new HashSet<int>();
        if (root.IsAlive)
        {
            members.Add(root.Pid);
            result.Add(root);
        }
        bool added;
        do
        {
            added = false;
            foreach (var p in all)
            {
                if (p.Pid != root.Pid && !members.Contains(p.Pid) && (members.Contains(p.ParentPid) || (sessionOurs && p.Session == root.Pid)))
                {
                    members.Add(p.Pid);
                    result.Add(new TrackedProcess(p.Pid, p.StartTime));
                    added = true;
                }
            }
        }
        while (added);
        return result;
    }

    /// <summary>Sends a signal if the process is still the one recorded; false when it is gone.</summary>
    public static bool Signal(TrackedProcess process, int signal) =>
        process.IsAlive && ProcessSignal.Send(process.Pid, signal);

    /// <summary>Waits until all have exited or the deadline passes; true when all exited.</summary>
    public static bool WaitGone(IEnumerable<TrackedProcess> processes, DateTime deadline)
    {
        var list = processes.ToList();
        while (list.Exists(p => p.IsAlive))
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }
            Thread.Sleep(50);
        }
        return true;
    }
}
