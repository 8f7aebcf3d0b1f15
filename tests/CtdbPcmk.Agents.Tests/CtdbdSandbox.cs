// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// A one-node ctdbd resource in a temp directory: nodes file with 127.0.0.1, an unused port,
/// socket, run and database directories. Dispose kills a daemon still holding the pid file (the
/// one the agent started for this sandbox) and deletes the directory.
/// </summary>
internal sealed class CtdbdSandbox : IDisposable
{
    public CtdbdSandbox()
    {
        Dir = Directory.CreateTempSubdirectory("ctdbd-").FullName;
        // ocf-tester and setpriv runs must be able to traverse the tree, as in /run.
        File.SetUnixFileMode(Dir, (UnixFileMode)0x1ED);
        NodesFile = Path.Combine(Dir, "nodes");
        File.WriteAllText(NodesFile, "127.0.0.1\n");
        Port = FreePort();
    }

    /// <summary>A sandbox whose daemon the installed ctdbd agent has started inside <paramref name="ns"/>.</summary>
    public static CtdbdSandbox StartIn(Netns ns, string ctdbdAgent)
    {
        var box = new CtdbdSandbox();
        try
        {
            var env = box.Parameters;
            env["OCF_RESKEY_CRM_meta_timeout"] = "30000";
            var r = ns.Agent(ctdbdAgent, "start", env);
            Assert.True(r.Code == 0, r.Stderr);
            return box;
        }
        catch
        {
            box.Dispose();
            throw;
        }
    }

    public string Dir { get; }

    public string NodesFile { get; }

    public int Port { get; }

    public string RunDir => Path.Combine(Dir, "run");

    public string Socket => Path.Combine(RunDir, "ctdbd.socket");

    public string PidFile => Path.Combine(RunDir, "ctdb-pcmkd.pid");

    public string LogFile => Path.Combine(Dir, "log.ctdb");

    /// <summary>The resource parameters (name without OCF_RESKEY_ → value).</summary>
    public Dictionary<string, string> Parameters => new()
    {
        ["ctdb_nodes_file"] = NodesFile,
        ["ctdb_port"] = Port.ToString(CultureInfo.InvariantCulture),
        ["ctdb_socket"] = Socket,
        ["ctdb_rundir"] = RunDir,
        ["ctdb_dbdir"] = Path.Combine(Dir, "db"),
        ["ctdb_logfile"] = LogFile,
    };

    /// <summary>The action environment: parameters plus the usual OCF variables and any extra ones.</summary>
    public Dictionary<string, string> Environment(params (string Name, string Value)[] extra)
    {
        var env = Parameters.ToDictionary(kv => "OCF_RESKEY_" + kv.Key, kv => kv.Value);
        env["OCF_RESOURCE_INSTANCE"] = "ctdbd-test";
        env["OCF_RESKEY_CRM_meta_timeout"] = "30000";
        foreach (var (name, value) in extra)
        {
            env[name] = value;
        }
        return env;
    }

    /// <summary>The PID of the daemon holding the pid file, or null.</summary>
    public int? DaemonPid => DaemonProcess.LockHolder(PidFile);

    public void Dispose()
    {
        if (DaemonPid is int pid)
        {
            DaemonProcess.Signal(pid, 18);      // SIGCONT, in case a test stopped it
            DaemonProcess.Signal(pid, DaemonProcess.SigKill);
            DaemonProcess.WaitGone(pid, DateTime.UtcNow.AddSeconds(10));
        }
        Directory.Delete(Dir, recursive: true);
    }

    private static int FreePort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }
}
