// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conntrack.Tracker;

// Which addresses are tracked, and bringing the table and the daemon's lists in line with the
// kernel's sockets when events may have been missed.
internal sealed partial class ConnectionTracker
{
    /// <summary>
    /// Reads the held addresses from the daemon (reconnecting when needed). An address newly held
    /// here gets its current connections from the socket table and written to the daemon; one no
    /// longer held is forgotten without writing (its next node owns the list now).
    /// </summary>
    public void Refresh()
    {
        _nextRefresh = _clock.Elapsed + RefreshInterval;
        if (!_daemon.Ensure(out bool connected))
        {
            return;
        }
        if (connected)
        {
            // A daemon (perhaps restarted) that has to learn everything again.
            _table.DropPending();
            _tracked = new HashSet<IPAddress>();
        }
        var held = _daemon.HeldAddresses();
        if (held is null)
        {
            return;
        }
        if (_config.Addresses.Count > 0)
        {
            held.IntersectWith(_config.Addresses);
        }
        _released.RemoveWhere(a => !held.Contains(a));
        held.ExceptWith(_released);
        foreach (var gone in _tracked.Where(a => !held.Contains(a)).ToList())
        {
            int n = _table.Forget(gone);
            _log.Info($"{gone} is no longer held here: stopped tracking it ({n} connection(s) left to its next node)");
        }
        var added = held.Where(a => !_tracked.Contains(a)).ToList();
        _tracked = held;
        foreach (var address in added)
        {
            Learn(address);
            Resync(address, removeStale: false);
            _log.Info($"tracking connections to {address}: {_table.To(address).Count} open now");
        }
    }

    /// <summary>Starts tracking <paramref name="address"/> at once (reset-client: the daemon may not have said so yet).</summary>
    private void Track(IPAddress address)
    {
        _released.Remove(address);
        if (_tracked.Add(address))
        {
            Learn(address);
            Resync(address, removeStale: false);
        }
    }

    /// <summary>Adds the established sockets of <paramref name="address"/> on tracked ports to the table.</summary>
    private void Learn(IPAddress address)
    {
        foreach (var entry in Sockets(address))
        {
            if (_table.Open(Connection(entry)))
            {
                Counters.Opened++;
            }
        }
    }

    /// <summary>
    /// Events were lost: every tracked address's table entries become its established sockets
    /// (closed ones leave, unknown ones join), written as changes.
    /// </summary>
    private void Reconcile()
    {
        foreach (var address in _tracked)
        {
            var now = Sockets(address).Select(Connection).ToHashSet();
            foreach (var known in _table.To(address))
            {
                if (!now.Contains(known) && !_hold.Contains(address) && _table.Close(known))
                {
                    Counters.Closed++;
                }
            }
            foreach (var c in now)
            {
                if (_table.Open(c))
                {
                    Counters.Opened++;
                }
            }
        }
    }

    /// <summary>
    /// Writes the table's connections to <paramref name="address"/> that the daemon's list lacks;
    /// with <paramref name="removeStale"/> also removes the list's entries on tracked ports that
    /// are not open here. A newly held address keeps its list: those are the previous node's
    /// clients, for reset-client to tickle.
    /// </summary>
    private void Resync(IPAddress address, bool removeStale)
    {
        var list = _daemon.List(address);
        if (list is null)
        {
            return;
        }
        var listed = list.Select(c => new CtdbConnection(c.Source, new IPEndPoint(DaemonLink.Canonical(c.Destination.Address), c.Destination.Port))).ToHashSet();
        var open = _table.To(address);
        var changes = open.Where(c => !listed.Contains(c)).Select(c => new TcpChange(c, true)).ToList();
        if (removeStale)
        {
            var openSet = open.ToHashSet();
            changes.AddRange(listed.Where(c => _config.TracksPort(c.Destination.Port) && !openSet.Contains(c)).Select(c => new TcpChange(c, false)));
        }
        if (changes.Count > 0 && _daemon.Write(changes, out _))
        {
            Counters.Committed += changes.Count;
            Counters.Commits++;
        }
    }

    private IEnumerable<TcpSocketEntry> Sockets(IPAddress address)
    {
        List<TcpSocketEntry> all;
        try
        {
            all = TcpSocketTable.Established();
        }
        catch (ErrnoException e)
        {
            _log.Error($"reading the socket table: {e.Message}");
            return [];
        }
        return all.Where(e => DaemonLink.Canonical(e.Local.Address).Equals(address) && _config.TracksPort(e.Local.Port));
    }

    private static CtdbConnection Connection(TcpSocketEntry entry) =>
        new(new IPEndPoint(DaemonLink.Canonical(entry.Remote.Address), entry.Remote.Port), new IPEndPoint(DaemonLink.Canonical(entry.Local.Address), entry.Local.Port));
}
