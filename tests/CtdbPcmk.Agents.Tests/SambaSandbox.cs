// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Linux;
using CtdbPcmk.Samba;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// A clustered Samba for ocf:ctdb:samba: ctdb-pcmkd started and promoted (leader) through
/// ocf:ctdb:ctdbd in a <see cref="CtdbdSandbox"/>, a network namespace of its own (port 445 is
/// free there) where the agent runs, and an smb.conf with clustering = yes and every path in a
/// temp directory. Dispose stops the agent's daemons and kills by recorded PID whatever is left.
/// </summary>
internal sealed class SambaSandbox : IDisposable
{
    private readonly OcfRootFixture _root;
    private readonly CtdbdSandbox _ctdb = new();
    private readonly Netns _ns;

    public SambaSandbox(OcfRootFixture root, params string[] extraGlobal)
    {
        _root = root;
        try
        {
            Check(Sh.Run(root.Agent("ctdbd"), ["start"], _ctdb.Environment(), 120_000), "ctdbd start");
            Promote();
            Dir = Path.Combine(_ctdb.Dir, "samba");
            var share = Path.Combine(Dir, "share");
            Directory.CreateDirectory(share);
            File.WriteAllText(Path.Combine(share, "hello.txt"), "hello\n");
            Config = SmbConf.Write(_ctdb.Socket, Dir, share, "SAMBATEST",
                [$"winbindd socket directory = {Dir}/wb", "kernel share modes = no", .. extraGlobal]);
            _ns = new Netns();
        }
        catch
        {
            _ctdb.Dispose();
            throw;
        }
    }

    public string Dir { get; }

    public string Config { get; }

    public string CtdbSocket => _ctdb.Socket;

    /// <summary>The ctdb-pcmkd process smbd talks to.</summary>
    public int? CtdbPid => _ctdb.DaemonPid;

    public string NsName => _ns.Name;

    /// <summary>Makes the daemon the leader: a one-node cluster then recovers and is RUNNING.</summary>
    private void Promote() => Check(Sh.Run(_root.Agent("ctdbd"), ["promote"], _ctdb.Environment(), 120_000), "ctdbd promote");

    /// <summary>The resource parameters (without OCF_RESKEY_).</summary>
    public Dictionary<string, string> Parameters(params (string Name, string Value)[] extra)
    {
        var p = new Dictionary<string, string>
        {
            ["config"] = Config,
            ["ctdb_socket"] = _ctdb.Socket,
            ["CRM_meta_timeout"] = "60000",
        };
        foreach (var (name, value) in extra)
        {
            p[name] = value;
        }
        return p;
    }

    /// <summary>Runs an agent action in the namespace.</summary>
    public Sh.Result Run(string action, params (string Name, string Value)[] extra) =>
        _ns.Agent(_root.Agent("samba"), action, Parameters(extra));

    /// <summary>Runs a program in the namespace; throws when it fails.</summary>
    public Sh.Result Exec(string program, params string[] args) => _ns.Exec(program, args);

    /// <summary>Runs a program in the namespace and returns its result.</summary>
    public Sh.Result TryExec(string program, params string[] args) => Sh.Run("ip", ["netns", "exec", _ns.Name, program, .. args]);

    /// <summary>The state file the agent keeps for this configuration, parsed; null when there is none.</summary>
    public InstanceState? State => InstanceState.Load(InstanceState.PathFor(_ns.StateDir, Config));

    /// <summary>What listens on TCP in the namespace (ss output, header-less).</summary>
    public string Listening(int port) => TryExec("ss", "-Hltn", $"sport = :{port.ToString(CultureInfo.InvariantCulture)}").Stdout.Trim();

    /// <summary>Processes alive in the sessions of the recorded daemons (the agent starts each as a session leader).</summary>
    public static List<ProcStat> Ours(IEnumerable<TrackedProcess> recorded)
    {
        var sessions = recorded.Select(p => p.Pid).ToHashSet();
        return ProcStat.ReadAll().Where(p => sessions.Contains(p.Session) && !p.HasExited).ToList();
    }

    public void Dispose()
    {
        try
        {
            var state = SafeState();
            Run("stop");
            if (state is not null)
            {
                foreach (var p in state.Processes.Values.SelectMany(ProcessTree.WithDescendants))
                {
                    ProcessTree.Signal(p, ProcessTree.SigKill);
                }
            }
        }
        finally
        {
            _ns.Dispose();
            _ctdb.Dispose();
        }
    }

    private InstanceState? SafeState()
    {
        try
        {
            return State;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static void Check(Sh.Result r, string what)
    {
        if (r.Code != 0)
        {
            throw new InvalidOperationException($"{what} failed ({r.Code}): {r.Stderr}");
        }
    }
}
