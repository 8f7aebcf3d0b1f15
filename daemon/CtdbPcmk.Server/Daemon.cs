// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server;

/// <summary>The daemon: owns the event loop, the client socket and the databases.</summary>
public sealed partial class Daemon : IDisposable
{
    private readonly DaemonOptions _options;
    private readonly Serilog.ILogger _log;

    public Daemon(DaemonOptions options, Serilog.ILogger log)
    {
        _options = options;
        _log = log;
    }

    /// <summary>Runs until <paramref name="stop"/> is cancelled; returns after a clean shutdown.</summary>
    public void Run(CancellationToken stop)
    {
        _log.Information("ctdb-pcmkd node {Pnn} socket {Socket}", _options.Pnn, _options.SocketPath);
        stop.WaitHandle.WaitOne();
    }

    public void Dispose()
    {
    }
}
