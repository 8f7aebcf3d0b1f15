// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>
/// A network namespace owned by one test: unique name, loopback up, every process started in it
/// killed by PID and the namespace deleted on dispose.
/// </summary>
internal sealed class Netns : IDisposable
{
    private static int s_counter;
    private readonly List<Process> _processes = [];

    private Netns(string name)
    {
        Name = name;
    }

    public string Name { get; }

    public static Netns Create(string role)
    {
        var name = $"pbt{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}{role}";
        Sh.Ok("ip", "netns", "add", name);
        var ns = new Netns(name);
        ns.Ok("ip", "link", "set", "lo", "up");
        return ns;
    }

    public Sh.Result Run(params string[] argv) => Sh.Run(["ip", "netns", "exec", Name, .. argv]);

    public string Ok(params string[] argv)
    {
        var result = Run(argv);
        Assert.True(result.Code == 0, $"[{Name}] {string.Join(' ', argv)}: {result}");
        return result.Stdout;
    }

    /// <summary>Starts a long-running process in the namespace (ip netns exec keeps the PID).</summary>
    public Process Start(params string[] argv)
    {
        var process = Process.Start(Sh.Info(["ip", "netns", "exec", Name, .. argv], null))!;
        _processes.Add(process);
        return process;
    }

    /// <summary>Joins two namespaces with a veth pair.</summary>
    public static void Link(Netns a, string aName, Netns b, string bName)
    {
        Sh.Ok("ip", "link", "add", aName, "netns", a.Name, "type", "veth", "peer", "name", bName, "netns", b.Name);
        a.Ok("ip", "link", "set", aName, "up");
        b.Ok("ip", "link", "set", bName, "up");
    }

    public string Mac(string device) =>
        Ok("cat", $"/sys/class/net/{device}/address").Trim();

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

        Sh.Run("ip", "netns", "del", Name);
    }
}
