// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Xml.Linq;

namespace CtdbPcmk.E2E.Tests;

/// <summary>
/// One 3-node cluster of tests/pcmk-box, in its own directory and uniquely named namespaces.
/// Dispose kills the processes the test started (by PID) and takes the whole box down.
/// </summary>
internal sealed class Box : IDisposable
{
    private static int s_counter;
    private readonly List<Process> _processes = [];

    private Box(string dir)
    {
        Dir = dir;
    }

    public string Dir { get; }

    public static Box Up(string profile, bool fencing)
    {
        var dir = Path.Combine(Path.GetTempPath(), $"ctdbpcmk-e2e-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}");
        var box = new Box(dir);
        try
        {
            box.Ok(fencing ? ["up", "--fencing"] : ["up"]);
            box.Ok("resources", profile);
            box.WaitStarted();
            return box;
        }
        catch
        {
            box.Dispose();
            throw;
        }
    }

    public Sh.Result Run(params string[] args) =>
        Sh.Run([RepoPaths.Box, Dir, .. args], new Dictionary<string, string> { ["BOX_OCF_ROOT"] = OcfRoot.Path }, timeoutMs: 300_000);

    public string Ok(params string[] args)
    {
        var result = Run(args);
        Assert.True(result.Code == 0, $"box {string.Join(' ', args)}: {result}");
        return result.Stdout;
    }

    public Sh.Result Exec(int node, params string[] argv) => Run(["exec", node.ToString(CultureInfo.InvariantCulture), .. argv]);

    public string ExecOk(int node, params string[] argv) => Ok(["exec", node.ToString(CultureInfo.InvariantCulture), .. argv]);

    /// <summary>Waits until every resource is started and the promotable clone has its promoted instance.</summary>
    public void WaitStarted(int seconds = 120) => Ok("wait-started", seconds.ToString(CultureInfo.InvariantCulture));

    public void Kill(int node) => Ok("kill", node.ToString(CultureInfo.InvariantCulture));

    public void Start(int node) => Ok("start", node.ToString(CultureInfo.InvariantCulture));

    /// <summary>Nodes whose PID 1 is running.</summary>
    public IReadOnlyList<int> RunningNodes() =>
        [.. Ok("pids").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length == 2)
            .Select(f => int.Parse(f[0][1..], CultureInfo.InvariantCulture))];

    /// <summary>crm_mon's XML as seen from a node.</summary>
    public XDocument CrmMon(int viaNode) => XDocument.Parse(ExecOk(viaNode, "crm_mon", "-1", "--output-as=xml"));

    /// <summary>The network namespace of the client side (the switch, with the client address).</summary>
    public string ClientNetns => $"{File.ReadAllText(Path.Combine(Dir, "name")).Trim()}-sw";

    /// <summary>The network namespace of node N (for `ip -n`, which needs no node process).</summary>
    public string NodeNetns(int node) => $"{File.ReadAllText(Path.Combine(Dir, "name")).Trim()}-n{node}";

    /// <summary>The nodes whose eth0 carries the address right now (the ground truth for a VIP).</summary>
    public IReadOnlyList<int> NodesWithAddress(string address)
    {
        var holders = new List<int>();
        foreach (var node in new[] { 1, 2, 3 })
        {
            var r = Sh.Run(["ip", "-n", NodeNetns(node), "-o", "addr", "show", "dev", "eth0"]);
            if (r.Code == 0 && r.Stdout.Contains($" {address}/", StringComparison.Ordinal))
            {
                holders.Add(node);
            }
        }

        return holders;
    }

    /// <summary>Starts a long-running process in node N; it dies with the node at the latest.</summary>
    public Process StartInNode(int node, params string[] argv) =>
        Track(Process.Start(Sh.Info([RepoPaths.Box, Dir, "exec", node.ToString(CultureInfo.InvariantCulture), .. argv], null))!);

    /// <summary>Starts a long-running process at the client address (the box execs into it: same PID).</summary>
    public Process StartClient(params string[] argv) =>
        Track(Process.Start(Sh.Info([RepoPaths.Box, Dir, "client", .. argv], null))!);

    /// <summary>Keeps a process the test started, to be killed by its PID on dispose.</summary>
    public Process Track(Process process)
    {
        _processes.Add(process);
        return process;
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        Run("down");
    }
}
