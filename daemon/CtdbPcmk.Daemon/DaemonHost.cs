// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;
using CtdbPcmk.Daemon.Config;
using CtdbPcmk.Daemon.Logging;

namespace CtdbPcmk.Daemon;

/// <summary>Starts the daemon: configuration, logging, signals, pid file, then runs until stopped.</summary>
internal static class DaemonHost
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;

    public static int Run(HostArguments args)
    {
        HostSettings settings;
        try
        {
            settings = DaemonConfig.Resolve(args, Environment.GetEnvironmentVariable("CTDB_SOCKET"));
        }
        catch (ConfigError e)
        {
            Console.Error.WriteLine(e.Message);
            return ExitFailure;
        }

        using var log = LogSetup.Create(settings.Log, settings.LogLevel);
        foreach (var notice in settings.Notices)
            log.Information("{Notice}", notice);

        using var stop = new CancellationTokenSource();
        void OnSignal(PosixSignalContext context)
        {
            // Handled here: the daemon shuts down cleanly instead of the runtime exiting.
            context.Cancel = true;
            log.Information("Received {Signal}, shutting down", context.Signal.ToString());
            stop.Cancel();
        }
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var intr = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        PidFile? pidFile = null;
        try
        {
            var o = settings.Options;
            // Like ctdbd: the daemon makes its own database and socket directories, so a fresh
            // system (or a tmpfs /run) needs nothing prepared.
            foreach (var dir in new[] { o.VolatileDirectory, o.PersistentDirectory, o.StateDirectory, Path.GetDirectoryName(o.SocketPath) })
            {
                if (!string.IsNullOrEmpty(dir))
                    Directory.CreateDirectory(dir);
            }
            if (settings.PidFile is not null)
                pidFile = PidFile.Create(settings.PidFile);
            log.Information("Starting ctdb-pcmkd {Version}: PNN {Pnn} of {Count} nodes, socket {Socket}{Leader}",
                Version, o.Pnn, o.Nodes.Count, o.SocketPath, o.StartAsLeader ? ", leader" : "");
            using var daemon = new CtdbPcmk.Server.Daemon(o, log);
            daemon.Run(stop.Token);
            log.Information("ctdb-pcmkd stopped");
            return ExitOk;
        }
        catch (ConfigError e)
        {
            log.Fatal("{Error}", e.Message);
            if (settings.Log.Kind != LogTargetKind.Stderr)
                Console.Error.WriteLine(e.Message);
            return ExitFailure;
        }
        catch (Exception e)
        {
            log.Fatal(e, "ctdb-pcmkd failed");
            // Whoever started the daemon (systemd, a script) should see why without the log.
            if (settings.Log.Kind != LogTargetKind.Stderr)
                Console.Error.WriteLine($"ctdb-pcmkd failed: {e.Message}");
            return ExitFailure;
        }
        finally
        {
            pidFile?.Dispose();
        }
    }

    public static string Version =>
        typeof(DaemonHost).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
