// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Ocf;

/// <summary>
/// Agent logging as the OCF shell functions do it: every line goes to stderr (Pacemaker records
/// an agent's stderr), to syslog when HA_LOGFACILITY (or PCMK_LOGFACILITY) names a facility, and
/// to HA_LOGFILE (PCMK_LOGFILE) when set. Debug lines appear only when HA_debug (PCMK_debug) is
/// true, and go to HA_DEBUGLOG instead of HA_LOGFILE when that is set. A log destination that
/// fails is skipped; logging never fails an action.
/// </summary>
public sealed class OcfLog
{
    private readonly TextWriter _stderr;
    private readonly string _tag;
    private readonly int? _facility;
    private readonly string? _logFile;
    private readonly string? _debugLog;

    /// <summary>Creates the log for an agent type and resource instance.</summary>
    public OcfLog(string agent, OcfEnvironment environment, TextWriter stderr)
    {
        _stderr = stderr;
        var instance = environment.GetNonEmpty("OCF_RESOURCE_INSTANCE");
        _tag = instance is null ? agent : $"{agent}({instance})";
        var facility = environment.GetNonEmpty("HA_LOGFACILITY") ?? environment.GetNonEmpty("PCMK_LOGFACILITY");
        _facility = facility is null ? null : Syslog.Facility(facility);
        _logFile = environment.GetNonEmpty("HA_LOGFILE") ?? environment.GetNonEmpty("PCMK_LOGFILE");
        _debugLog = environment.GetNonEmpty("HA_DEBUGLOG") ?? environment.GetNonEmpty("PCMK_DEBUGLOG");
        var debug = environment.GetNonEmpty("HA_debug") ?? environment.GetNonEmpty("PCMK_debug");
        // PCMK_debug may also list daemon names; any value other than a "no" spelling enables it.
        DebugEnabled = debug is not null && !OcfEnvironment.IsFalse(debug);
    }

    /// <summary>True when debug lines are written.</summary>
    public bool DebugEnabled { get; }

    /// <summary>Logs a debug line (only with HA_debug).</summary>
    public void Debug(string message) => Write(OcfLogLevel.Debug, message);

    /// <summary>Logs an informational line.</summary>
    public void Info(string message) => Write(OcfLogLevel.Info, message);

    /// <summary>Logs a warning.</summary>
    public void Warning(string message) => Write(OcfLogLevel.Warning, message);

    /// <summary>Logs an error.</summary>
    public void Error(string message) => Write(OcfLogLevel.Error, message);

    /// <summary>Logs a line at a level.</summary>
    public void Write(OcfLogLevel level, string message)
    {
        if (level == OcfLogLevel.Debug && !DebugEnabled)
        {
            return;
        }
        var name = level switch
        {
            OcfLogLevel.Error => "ERROR",
            OcfLogLevel.Warning => "WARNING",
            OcfLogLevel.Info => "INFO",
            _ => "DEBUG",
        };
        var text = $"{name}: {message}";
        try
        {
            _stderr.WriteLine($"{_tag}[{Environment.ProcessId}]: {text}");
            _stderr.Flush();
        }
        catch (IOException)
        {
            // stderr closed: nothing else to do.
        }
        if (_facility is int facility)
        {
            Syslog.TrySend(facility, (int)level, _tag, text);
        }
        var file = level == OcfLogLevel.Debug && _debugLog is not null ? _debugLog : _logFile;
        if (file is not null)
        {
            AppendToFile(file, text);
        }
    }

    private void AppendToFile(string path, string text)
    {
        var now = DateTime.Now;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{now:MMM} {now.Day,2} {now:HH:mm:ss} {_tag}[{Environment.ProcessId}]: {text}\n");
        try
        {
            File.AppendAllText(path, line);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
