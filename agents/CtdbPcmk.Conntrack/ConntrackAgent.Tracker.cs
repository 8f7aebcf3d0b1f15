// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Runtime.InteropServices;
using CtdbPcmk.Conntrack.Tracker;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack;

// The agent's own actions: the tracker process, and reset-server / reset-client by hand.
public sealed partial class ConntrackAgent
{
    /// <summary>
    /// Runs the tracker in the foreground until SIGTERM or SIGINT. It holds a write lock on its
    /// PID file for as long as it runs, so a second tracker refuses to start.
    /// </summary>
    private OcfExitCode RunTracker(OcfContext context)
    {
        var config = ConntrackConfig.Parse(context.Parameters);
        Directory.CreateDirectory(config.StateDir);
        using var pidFile = new FileStream(config.PidFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        if (!FileLock.TryLockWhole(pidFile.SafeFileHandle))
        {
            throw OcfException.Generic($"another tracker (process {FileLock.WriteLockHolder(pidFile.SafeFileHandle)}) holds {config.PidFile}");
        }
        pidFile.SetLength(0);
        var pidText = System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
        pidFile.Write(pidText);
        pidFile.Flush();
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        var conntrackd = Conntrackd(config, context);
        using var tracker = new ConnectionTracker(config, context.Log, conntrackd is null ? null : conntrackd.CommitTakeover);
        tracker.Run(stop.Token);
        return OcfExitCode.Success;
    }

    /// <summary>"reset-server ADDRESS" / "reset-client ADDRESS": asks the node's tracker.</summary>
    private static OcfExitCode Reset(OcfContext context)
    {
        var config = ConntrackConfig.Parse(context.Parameters);
        if (context.Arguments is not [var text] || !IPAddress.TryParse(text, out var address))
        {
            throw OcfException.Configured($"usage: conntrack {context.Action} ADDRESS (an IPv4 or IPv6 address)");
        }
        string? reply;
        try
        {
            reply = UnixLineClient.Send(config.ControlSocket, $"{context.Action} {address}", ControlServer.ReplyTimeout);
        }
        catch (IOException e)
        {
            throw OcfException.Generic(e.Message);
        }
        if (reply is null)
        {
            context.ExitReason($"no tracker listens on {config.ControlSocket}");
            return OcfExitCode.NotRunning;
        }
        if (!reply.StartsWith("ok", StringComparison.Ordinal))
        {
            throw OcfException.Generic(reply);
        }
        context.Log.Info(reply[3..]);
        context.Stdout.WriteLine(reply[3..]);
        return OcfExitCode.Success;
    }
}
