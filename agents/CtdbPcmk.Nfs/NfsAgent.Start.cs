// SPDX-License-Identifier: GPL-3.0-or-later
using System.ComponentModel;
using System.Globalization;
using CtdbPcmk.Linux;
using CtdbPcmk.Nfs.Conf;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Nfs;

public sealed partial class NfsAgent
{
    private static readonly TimeSpan s_startFallback = TimeSpan.FromSeconds(60);

    /// <inheritdoc/>
    public override OcfExitCode Start(OcfContext context)
    {
        var config = NfsConfig.Parse(context.Parameters, context.Environment);
        var settings = LoadSettings(config);
        CheckHost(config, settings);
        var deadline = context.Deadline(s_startFallback);
        var probe = ProbeEndpoint(settings);

        var previous = LoadState(config);
        if (previous is not null && previous.Process.Current() is { IsStopped: false })
        {
            context.Log.Info($"ganesha.nfsd (pid {previous.Process.Pid}) already runs");
            SaveTakeover(config, settings);
            return OcfExitCode.Success;
        }
        if (previous is not null)
        {
            // What is left of an earlier instance (stopped, or its children) must not hold the port.
            var left = ProcessTree.WithDescendants(previous.Process);
            foreach (var p in left)
            {
                ProcessTree.Signal(p, ProcessTree.SigKill);
            }
            ProcessTree.WaitGone(left, DateTime.UtcNow + TimeSpan.FromSeconds(5));
        }
        if (ListenProbe.IsListening(probe, TimeSpan.FromMilliseconds(500)))
        {
            throw OcfException.Generic($"something else already listens on {probe}; disable NFS-Ganesha's own service (systemctl disable --now nfs-ganesha)");
        }
        var bus = PingBus(config);
        if (bus.Length > 0)
        {
            throw OcfException.Generic($"the D-Bus system bus at {config.BusAddress} does not answer ({bus}); NFS-Ganesha's grace and admin calls need it");
        }
        if (settings.RecoveryRoot is { } root)
        {
            var layout = new RecoveryLayout(root);
            layout.PrepareNode(config.NodeId);
            if (config.NodeName is { } name)
            {
                layout.Register(name, config.NodeId);
            }
        }
        Directory.CreateDirectory(config.StateDirectory);
        Directory.CreateDirectory(Path.GetDirectoryName(config.LogFile)!);
        var outputStart = DaemonOutput.Length(config.OutputFile);
        var logStart = DaemonOutput.Length(config.LogFile);
        var state = new NfsState
        {
            Config = config.ConfigFile,
            Process = Spawn(context, config),
            Probe = probe,
            BusAddress = config.BusAddress,
        };
        // Recorded at once: a start that times out must leave stop something to stop.
        state.Save(config.StateFile);

        while (true)
        {
            if (state.Process.Current() is not { } stat || stat.HasExited)
            {
                var output = (DaemonOutput.Since(config.OutputFile, outputStart) + " " + LastLines(DaemonOutput.Since(config.LogFile, logStart), 3)).Trim();
                throw OcfException.Generic($"ganesha.nfsd (pid {state.Process.Pid}) exited during start"
                    + (output.Length > 0 ? ": " + output : $" (see {config.LogFile})"));
            }
            var waiting = NotReady(config, state);
            if (waiting.Length == 0)
            {
                break;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw OcfException.Generic($"ganesha.nfsd (pid {state.Process.Pid}) not ready in time: {waiting}");
            }
            Thread.Sleep(100);
        }
        SaveTakeover(config, settings);
        context.Log.Info($"ganesha.nfsd (pid {state.Process.Pid}, node id {config.NodeId}) serves NFSv4 on {probe} and answers on D-Bus");
        return OcfExitCode.Success;
    }

    private static void SaveTakeover(NfsConfig config, GaneshaSettings settings) =>
        new NfsTakeover(settings.RecoveryRoot, config.NodeId, config.BusAddress).Save(config.StateDirectory);

    /// <summary>Empty when the server answers RPC NULL and its admin interface answers, else what is missing.</summary>
    private static string NotReady(NfsConfig config, NfsState state)
    {
        var rpc = RpcProbe.Call(state.Probe, TimeSpan.FromSeconds(1));
        if (!rpc.Answered)
        {
            return rpc.Detail;
        }
        var admin = PingAdmin(state.BusAddress, TimeSpan.FromSeconds(1));
        return admin.Length == 0 ? "" : "D-Bus: " + admin;
    }

    /// <summary>Empty when the bus answers; the admin name need not be owned yet.</summary>
    private static string PingBus(NfsConfig config)
    {
        try
        {
            using var admin = ConnectAdmin(config.BusAddress, s_busTimeout);
            return "";
        }
        catch (GaneshaAdminException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Starts ganesha.nfsd in the foreground ("-F") in a session of its own (see
    /// <see cref="DaemonSpawner"/>): the PID is the server's own, and it outlives the agent.
    /// </summary>
    private static TrackedProcess Spawn(OcfContext context, NfsConfig config)
    {
        List<string> arguments =
        [
            "-F", "-f", config.ConfigFile, "-L", config.LogFile, "-N", config.LogLevel,
            "-p", config.PidFile, "-I", config.NodeId.ToString(CultureInfo.InvariantCulture),
            .. config.Options,
        ];
        int pid;
        try
        {
            pid = DaemonSpawner.Start(config.Binary, arguments, config.OutputFile, ["DBUS_SYSTEM_BUS_ADDRESS=" + config.BusAddress]);
        }
        catch (Win32Exception e)
        {
            throw OcfException.Generic(e.Message);
        }
        var stat = ProcStat.Read(pid) ?? throw OcfException.Generic($"ganesha.nfsd (pid {pid}) vanished at once");
        context.Log.Info($"started {config.Binary} {string.Join(' ', arguments)} (pid {pid})");
        return new TrackedProcess(pid, stat.StartTime);
    }

    private static string LastLines(string text, int count)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return string.Join(" | ", lines.Skip(Math.Max(0, lines.Length - count)));
    }
}
