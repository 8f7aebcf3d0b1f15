// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Clients;

/// <summary>
/// Bounds the calls one client has waiting in the daemon ([limits] client pending calls): at the
/// limit, its connection's input is held, so its further requests wait in its socket rather than
/// in the daemon's memory; reading resumes once half of them are answered. Nothing is refused or
/// lost, and the other clients are served meanwhile.
/// </summary>
internal sealed class PendingCallLimit(ClientLimits limits, Serilog.ILogger log)
{
    private long _holds;

    /// <summary>Times a client's input was held so far.</summary>
    public long Holds => _holds;

    /// <summary>A call of <paramref name="client"/> has to wait (for a lock, a recovery or a migration).</summary>
    public void Started(ClientConnection client)
    {
        client.PendingCalls++;
        if (client.CallsHeld || client.PendingCalls < limits.MaxPendingCalls)
        {
            return;
        }
        client.CallsHeld = true;
        client.Connection.HoldInput();
        // One line per 100 holds: a client that keeps hitting the limit must not flood the log.
        if (_holds++ % 100 == 0)
        {
            log.Warning("Client {Id} (pid {Pid}) has {Count} calls waiting ([limits] client pending calls); its further requests wait until half are answered; {Holds} holds so far",
                client.Id, client.Pid, client.PendingCalls, _holds);
        }
    }

    /// <summary>A waiting call of <paramref name="client"/> was answered or dropped.</summary>
    public void Ended(ClientConnection client)
    {
        client.PendingCalls = Math.Max(0, client.PendingCalls - 1);
        if (client.CallsHeld && client.PendingCalls <= limits.MaxPendingCalls / 2)
        {
            client.CallsHeld = false;
            client.Connection.ReleaseInput();
        }
    }
}
