// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conntrack.Tracker;

// The control socket's requests, run on the tracker's thread.
internal sealed partial class ConnectionTracker
{
    private void Handle(ControlRequest request)
    {
        try
        {
            switch (request.Verb)
            {
                case "status":
                    request.Ok($"daemon={(_daemon.IsUp ? "up" : "down")} tracked={_tracked.Count} open={_table.Count} pending={_table.PendingCount} {Counters}");
                    return;
                case "commit":
                    Commit();
                    _nextCommit = _clock.Elapsed + _config.CommitInterval;
                    request.Ok(_daemon.IsUp ? "committed" : "daemon down: nothing written");
                    return;
                case "reset-server" or "reset-client":
                    if (!IPAddress.TryParse(request.Argument, out var address))
                    {
                        request.Fail($"{request.Verb}: '{request.Argument}' is not an IP address");
                        return;
                    }
                    address = DaemonLink.Canonical(address);
                    if (request.Verb == "reset-server")
                    {
                        request.Ok(ResetServer(address));
                    }
                    else
                    {
                        ResetClient(address, request);
                    }
                    return;
                default:
                    request.Fail($"unknown request '{request.Verb}' (status, commit, reset-server ADDRESS, reset-client ADDRESS)");
                    return;
            }
        }
        catch (Exception e) when (e is ErrnoException or IOException or InvalidOperationException)
        {
            request.Fail($"{request.Verb} {request.Argument}: {e.Message}");
        }
    }

    /// <summary>
    /// The address leaves this node: closed connections stop being recorded for it (so the
    /// replicated list keeps them for the next node), the server side of each of its established
    /// connections is aborted (the client gets a RST), the events that caused are read, and the
    /// hold ends. The address stays untracked until the daemon stops saying this node holds it.
    /// </summary>
    private string ResetServer(IPAddress address)
    {
        _hold.Add(address);
        try
        {
            _released.Add(address);
            _tracked.Remove(address);
            int reset = 0;
            foreach (var entry in TcpSocketTable.Established())
            {
                if (DaemonLink.Canonical(entry.Local.Address).Equals(address) && TcpSocketTable.Destroy(entry))
                {
                    reset++;
                }
            }
            ReadEvents(wait: false);
            int forgotten = _table.Forget(address);
            _log.Info($"reset-server {address}: {reset} connection(s) reset, {forgotten} left in the replicated list for the next node");
            return $"reset {reset} connection(s) to {address}";
        }
        finally
        {
            _hold.Remove(address);
        }
    }

    /// <summary>
    /// The address arrived here: it is tracked at once, conntrackd (when run) commits its state
    /// into the kernel, and every client in the replicated list that is not connected here gets
    /// tickled in rounds on a thread of its own; when the rounds are done those entries leave the
    /// list. The request is answered when the rounds start.
    /// </summary>
    private void ResetClient(IPAddress address, ControlRequest request)
    {
        var list = _daemon.List(address);
        if (list is null && !_daemon.Ensure(out _))
        {
            request.Fail($"reset-client {address}: the daemon at {_config.CtdbSocket} is not reachable");
            return;
        }
        list ??= _daemon.List(address) ?? [];
        Track(address);
        var open = _table.To(address).ToHashSet();
        var clients = list
            .Select(c => new CtdbConnection(c.Source, new IPEndPoint(DaemonLink.Canonical(c.Destination.Address), c.Destination.Port)))
            .Where(c => !open.Contains(c))
            .ToList();
        var commit = _commitKernelState;
        var log = _log;
        var thread = new Thread(() =>
        {
            if (commit is not null)
            {
                try
                {
                    commit();
                }
                catch (Exception e) when (e is Ocf.OcfException or IOException or InvalidOperationException)
                {
                    log.Error($"conntrackd commit for {address}: {e.Message}");
                }
            }
            var firstRound = ClientReset.Run(address, clients, log);
            _posted.Enqueue(() => Tickled(address, clients, firstRound));
        })
        { IsBackground = true, Name = "reset-client" };
        thread.Start();
        request.Ok($"tickling {clients.Count} client(s) of {address}");
    }

    /// <summary>The rounds for <paramref name="address"/> are done: its tickled entries leave the replicated list.</summary>
    private void Tickled(IPAddress address, List<CtdbConnection> clients, TimeSpan firstRound)
    {
        Counters.LastTickleRound = firstRound;
        if (clients.Count == 0)
        {
            return;
        }
        var removals = clients.Where(c => !_table.Contains(c)).Select(c => new TcpChange(c, false)).ToList();
        if (_daemon.Write(removals, out _))
        {
            Counters.Committed += removals.Count;
            _log.Info($"reset-client {address}: {removals.Count} tickled entr{(removals.Count == 1 ? "y" : "ies")} removed from the replicated list");
        }
    }
}
