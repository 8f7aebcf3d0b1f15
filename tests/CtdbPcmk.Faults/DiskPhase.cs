// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults;

/// <summary>What one phase of a disk run saw: commits, the daemon, its log, health, status.</summary>
internal sealed class DiskPhase(string name)
{
    public string Name { get; } = name;

    public int Issued { get; set; }

    public int Acked { get; set; }

    /// <summary>Commits issued through node 1, whose file system has the fault.</summary>
    public int VictimIssued { get; set; }

    public int VictimAcked { get; set; }

    public bool VictimAlive { get; set; } = true;

    public string Health { get; set; } = "";

    public string Status { get; set; } = "";

    public string Df { get; set; } = "";

    public List<string> ClientErrors { get; } = [];

    public List<string> LogLines { get; } = [];

    public List<string> Notes { get; } = [];

    public IEnumerable<string> Lines()
    {
        yield return $"-- {Name}: commits {Issued}, acknowledged {Acked} (through node {DiskOptions.Victim}: {VictimAcked} of {VictimIssued}); node {DiskOptions.Victim} daemon {(VictimAlive ? "running" : "NOT RUNNING")}";
        if (Df.Length > 0)
        {
            yield return "   df: " + Df;
        }
        if (Health.Length > 0)
        {
            yield return "   ocf:ctdb:health: " + Health;
        }
        if (Status.Length > 0)
        {
            yield return "   ctdb status (node 0): " + Status;
        }
        foreach (var e in ClientErrors.Take(3))
        {
            yield return "   client error: " + e;
        }
        foreach (var l in LogLines.Take(8))
        {
            yield return "   log: " + l;
        }
        foreach (var n in Notes)
        {
            yield return "   note: " + n;
        }
    }
}
