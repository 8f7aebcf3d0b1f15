// SPDX-License-Identifier: GPL-3.0-or-later
using Serilog.Core;
using Serilog.Events;

namespace CtdbPcmk.Server.Tests;

/// <summary>The daemon's log lines, rendered.</summary>
internal sealed class LogLines : ILogEventSink
{
    private readonly List<string> _lines = [];

    public LogLines() => Logger = new Serilog.LoggerConfiguration().MinimumLevel.Debug().WriteTo.Sink(this).CreateLogger();

    public Serilog.ILogger Logger { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return _lines.ToArray();
            }
        }
    }

    public void Emit(LogEvent logEvent)
    {
        lock (_lines)
        {
            _lines.Add(logEvent.RenderMessage());
        }
    }
}
