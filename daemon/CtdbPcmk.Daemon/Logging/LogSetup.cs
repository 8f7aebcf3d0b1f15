// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Daemon.Config;
using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Sinks.SystemConsole.Themes;

namespace CtdbPcmk.Daemon.Logging;

/// <summary>Builds the daemon's logger for the configured target.</summary>
internal static class LogSetup
{
    /// <summary>
    /// Creates the logger. <paramref name="syslogPath"/> exists for tests; when its socket is
    /// missing the logger writes to stderr and says so once.
    /// </summary>
    public static Logger Create(LogTarget target, LogEventLevel level, string syslogPath = SyslogSink.DefaultPath)
    {
        var pid = Environment.ProcessId;
        // The same line shape as ctdbd's file log: ISO timestamp, "name[pid]:", message.
        var template = "{Timestamp:yyyy-MM-ddTHH:mm:ss.ffffffzzz} ctdb-pcmkd[" + pid + "]: {Level:u3} {Message:lj}{NewLine}{Exception}";
        var config = new LoggerConfiguration().MinimumLevel.Is(level);
        var fellBack = false;
        switch (target.Kind)
        {
            case LogTargetKind.File:
                var dir = Path.GetDirectoryName(target.Path!);
                if (!string.IsNullOrEmpty(dir))
                    Directory.CreateDirectory(dir);
                config.WriteTo.File(target.Path!, outputTemplate: template, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
                break;
            case LogTargetKind.Syslog:
                var sink = SyslogSink.TryOpen(syslogPath, $"ctdb-pcmkd[{pid}]");
                if (sink is not null)
                {
                    config.WriteTo.Sink(sink);
                    break;
                }
                fellBack = true;
                WriteToStderr(config, template);
                break;
            default:
                WriteToStderr(config, template);
                break;
        }
        var logger = config.CreateLogger();
        if (fellBack)
            logger.Warning("No syslog socket at {Path}: logging to stderr", syslogPath);
        return logger;
    }

    private static void WriteToStderr(LoggerConfiguration config, string template) =>
        config.WriteTo.Console(
            outputTemplate: template,
            formatProvider: System.Globalization.CultureInfo.InvariantCulture,
            standardErrorFromLevel: LogEventLevel.Verbose,
            theme: ConsoleTheme.None);
}
