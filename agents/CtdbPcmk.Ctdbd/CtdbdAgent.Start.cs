// SPDX-License-Identifier: GPL-3.0-or-later
using System.ComponentModel;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Ctdbd;

public sealed partial class CtdbdAgent
{
    private static readonly TimeSpan s_startFallback = TimeSpan.FromSeconds(90);

    /// <inheritdoc/>
    public override OcfExitCode Start(OcfContext context)
    {
        var config = CtdbdConfig.Parse(context.Parameters);
        var binary = CheckHost(config);
        var deadline = context.Deadline(s_startFallback);

        var status = DaemonStatus.Query(config.Socket, config.RequestTimeout);
        if (IsUp(status))
        {
            context.Log.Info($"ctdb-pcmkd already runs: {status.Describe()}");
            Score(context, config).Update(status, force: true);
            return OcfExitCode.Success;
        }

        Directory.CreateDirectory(config.RunDir);
        int pid;
        long outputStart = DaemonOutput.Length(config.OutputFile);
        if (DaemonProcess.LockHolder(config.PidFile) is int running)
        {
            // A daemon from an earlier start is still coming up (or hangs): wait for it rather
            // than start a second one, which its pid file lock would refuse anyway.
            context.Log.Info($"ctdb-pcmkd (pid {running}) is already starting; waiting for it");
            pid = running;
        }
        else
        {
            if (config.UserConfigFile is null)
            {
                var text = ConfigFileWriter.Render(config, context.ResourceInstance);
                if (ConfigFileWriter.WriteIfChanged(config.GeneratedConfigFile, text))
                {
                    context.Log.Info($"wrote {config.GeneratedConfigFile}");
                }
            }
            var arguments = CommandLine(config);
            try
            {
                pid = DaemonSpawner.Start(binary, arguments, config.OutputFile);
            }
            catch (Win32Exception e)
            {
                throw OcfException.Generic(e.Message);
            }
            context.Log.Info($"started {binary} {string.Join(' ', arguments)} (pid {pid})");
        }

        while (true)
        {
            status = DaemonStatus.Query(config.Socket, config.RequestTimeout);
            if (IsUp(status))
            {
                context.Log.Info($"ctdb-pcmkd is up: {status.Describe()}");
                Score(context, config).Update(status, force: true);
                return OcfExitCode.Success;
            }
            if (!DaemonProcess.IsAlive(pid))
            {
                var output = DaemonOutput.Since(config.OutputFile, outputStart);
                throw OcfException.Generic($"ctdb-pcmkd exited during start{(output.Length > 0 ? ": " + output : $" (see {config.OutputFile} and its log)")}");
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw OcfException.Generic($"ctdb-pcmkd (pid {pid}) did not become ready in time: {status.Describe()}");
            }
            Thread.Sleep(100);
        }
    }

    /// <summary>
    /// Ready for Pacemaker: RUNNING, or (in a cluster) up and waiting for a leader, which only
    /// exists after Pacemaker promotes an instance, i.e. after start returns.
    /// </summary>
    private static bool IsUp(DaemonStatus status) =>
        status.IsAnswering && (status.RunState == Protocol.RunState.Running || status.IsWaitingForLeader);

    /// <summary>The daemon's arguments (after the program name).</summary>
    internal static List<string> CommandLine(CtdbdConfig config)
    {
        List<string> args = ["--config", config.EffectiveConfigFile, "--pidfile", config.PidFile, "--socket", config.Socket];
        if (config.UserConfigFile is not null)
        {
            // With a hand-maintained file, only what the resource sets explicitly overrides it.
            if (config.NodesFileGiven)
            {
                args.AddRange(["--nodes", config.NodesFile]);
            }
            if (config.NodeAddress is not null)
            {
                args.AddRange(["--node-address", config.NodeAddress.ToString()]);
            }
            if (config.LogLevelGiven)
            {
                args.AddRange(["--log-level", config.LogLevel]);
            }
        }
        return args;
    }
}
