// SPDX-License-Identifier: GPL-3.0-or-later
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace CtdbPcmk.Server.Tests;

/// <summary>Daemon logs for a test run: written to $CTDBPCMK_TEST_LOG (a file) when it is set, else dropped.</summary>
internal sealed class TestLog : ILogEventSink
{
    private static readonly object s_lock = new();
    private readonly string _path;
    private readonly string _prefix;

    private TestLog(string path, string prefix)
    {
        _path = path;
        _prefix = prefix;
    }

    public static Serilog.ILogger For(string prefix)
    {
        string? path = Environment.GetEnvironmentVariable("CTDBPCMK_TEST_LOG");
        if (string.IsNullOrEmpty(path))
        {
            return Logger.None;
        }
        return new LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(new TestLog(path, prefix)).CreateLogger();
    }

    public void Emit(LogEvent logEvent)
    {
        string line = $"{logEvent.Timestamp:HH:mm:ss.fff} {_prefix} {logEvent.Level} {logEvent.RenderMessage()}{(logEvent.Exception is null ? "" : " " + logEvent.Exception)}{Environment.NewLine}";
        lock (s_lock)
        {
            File.AppendAllText(_path, line);
        }
    }
}
