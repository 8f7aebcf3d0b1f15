// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack.Tests;

/// <summary>
/// A network namespace for one conntrackd test (the shared <see cref="NetNamespace"/>), plus
/// the processes started in it. On dispose every process still in the namespace is killed by
/// PID (the namespace is new and private to the test, so each one was started by it: the
/// tracked processes and any conntrackd that daemonized there), then the namespace goes.
/// </summary>
internal sealed class ConntrackdNetns : IDisposable
{
    private readonly NetNamespace _ns;
    private readonly List<Process> _processes = [];

    private ConntrackdNetns(NetNamespace ns) => _ns = ns;

    public string Name => _ns.Name;

    public static ConntrackdNetns Create() => new(NetNamespace.Create());

    /// <summary>Runs a command inside the namespace and fails the test on a non-zero exit.</summary>
    public string Ok(params string[] argv)
    {
        var result = Run(argv);
        Assert.True(result.Ok, $"[{Name}] {string.Join(' ', argv)}: {result}");
        return result.Stdout;
    }

    public Sh.Result Run(params string[] argv) => Sh.Run(["ip", "netns", "exec", Name, .. argv], timeoutMs: 20_000);

    /// <summary>Starts a long-running process in the namespace (ip netns exec keeps the PID).</summary>
    public Process Start(params string[] argv)
    {
        var process = Process.Start(Sh.Info(["ip", "netns", "exec", Name, .. argv]))!;
        _processes.Add(process);
        return process;
    }

    /// <summary>Joins two namespaces with a veth pair, up, each end with an IPv4 address/prefix.</summary>
    public static void Link(ConntrackdNetns a, string aName, string aAddress, ConntrackdNetns b, string bName, string bAddress)
    {
        Sh.Ok("ip", "link", "add", aName, "netns", a.Name, "type", "veth", "peer", "name", bName, "netns", b.Name);
        a.Ok("ip", "addr", "add", aAddress, "dev", aName);
        b.Ok("ip", "addr", "add", bAddress, "dev", bName);
        a.Ok("ip", "link", "set", aName, "up");
        b.Ok("ip", "link", "set", bName, "up");
    }

    /// <summary>An nftables rule matching on conntrack state, so the kernel tracks connections here.</summary>
    public void EnableConntrack()
    {
        Ok("nft", "add", "table", "inet", "ctdtest");
        Ok("nft", "add", "chain", "inet", "ctdtest", "c", "{ type filter hook prerouting priority 0; }");
        Ok("nft", "add", "rule", "inet", "ctdtest", "c", "ct", "state", "new", "counter");
    }

    public void Dispose()
    {
        foreach (var process in _processes)
        {
            Kill(process);
            process.Dispose();
        }
        var pids = Sh.Run("ip", "netns", "pids", Name);
        foreach (var word in pids.Stdout.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                try
                {
                    using var process = Process.GetProcessById(pid);
                    Kill(process);
                }
                catch (ArgumentException)
                {
                    // Already gone.
                }
            }
        }
        _ns.Dispose();
    }

    private static void Kill(Process process)
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
    }
}

/// <summary>Runs every command inside a network namespace, as the agent would run them on a node.</summary>
internal sealed class NetnsCommandRunner(string ns) : ICommandRunner
{
    public CommandResult Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout, string? stdin = null) =>
        ProcessCommandRunner.Instance.Run("ip", ["netns", "exec", ns, program, .. arguments], timeout, stdin);

    public string? Find(string program) => ProcessCommandRunner.Instance.Find(program);
}

/// <summary>
/// A scripted conntrackd: records the option of each call ("-d", "-s", ...) and answers from a
/// function of that option and the calls before it.
/// </summary>
internal sealed class ConntrackdFakeRunner(Func<string, IReadOnlyList<string>, CommandResult> answer, bool installed = true) : ICommandRunner
{
    public static readonly CommandResult Ok = new(0, "", "", false);

    public List<string> Calls { get; } = [];

    public static CommandResult Fail(string stderr) => new(1, "", stderr, false);

    public CommandResult Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout, string? stdin = null)
    {
        Assert.Equal("/usr/sbin/conntrackd", program);
        Assert.Equal("-C", arguments[0]);
        var option = arguments[^1];
        var result = answer(option, Calls);
        Calls.Add(option);
        return result;
    }

    public string? Find(string program) => installed && program == "conntrackd" ? "/usr/sbin/conntrackd" : null;
}

/// <summary>A temporary directory removed on dispose, and small helpers shared by the tests.</summary>
internal sealed class ConntrackdTempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ctdtest-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static ConntrackdSettings Generated(string stateDir, string iface = "sync0") =>
        new(null, iface, "225.0.0.50", 3780, stateDir);

    public static OcfLog Log(TextWriter writer) =>
        new("conntrack", OcfEnvironment.From(new Dictionary<string, string>()), writer);
}
