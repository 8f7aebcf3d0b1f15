// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Tests;

/// <summary>
/// Links between daemons of one process: a packet sent by one node is copied and handed to the
/// receiver's loop, in order; links come up when both ends have started and can be cut.
/// </summary>
internal sealed class MemoryHub
{
    private readonly object _lock = new();
    private readonly Daemon?[] _daemons;
    private readonly bool[,] _links;
    private readonly bool[] _isolated;
    private readonly long[,] _received;
    private readonly bool[,] _stalled;
    private readonly bool[,] _held;

    public MemoryHub(int nodes)
    {
        _held = new bool[nodes, nodes];
        _daemons = new Daemon?[nodes];
        _links = new bool[nodes, nodes];
        _isolated = new bool[nodes];
        _received = new long[nodes, nodes];
        _stalled = new bool[nodes, nodes];
    }

    /// <summary>
    /// Packets from <paramref name="from"/> to <paramref name="to"/> are lost while the link stays
    /// up (a peer that hangs, or a one-way network fault); <see cref="Unstall"/> ends it.
    /// </summary>
    public void Stall(uint from, uint to)
    {
        lock (_lock)
        {
            _stalled[from, to] = true;
        }
    }

    public void Unstall(uint from, uint to)
    {
        lock (_lock)
        {
            _stalled[from, to] = false;
        }
    }

    public INodeTransport TransportFor(uint pnn, Daemon daemon)
    {
        lock (_lock)
        {
            _daemons[pnn] = daemon;
        }
        return new Link(this, pnn);
    }

    /// <summary>Brings up the links between a started node and every other started, non-isolated node.</summary>
    private void Started(uint pnn)
    {
        var up = new List<uint>();
        lock (_lock)
        {
            if (_isolated[pnn])
            {
                return;
            }
            for (uint other = 0; other < _daemons.Length; other++)
            {
                if (other != pnn && _daemons[other] is not null && !_isolated[other] && !_links[pnn, other]
                    && !_held[pnn, other] && !_held[other, pnn])
                {
                    _links[pnn, other] = _links[other, pnn] = true;
                    up.Add(other);
                }
            }
        }
        foreach (uint other in up)
        {
            Notify(pnn, other, connected: true);
        }
    }

    /// <summary>Cuts every link of a node (as a crash or a network failure would).</summary>
    public void Isolate(uint pnn)
    {
        var down = new List<uint>();
        lock (_lock)
        {
            _isolated[pnn] = true;
            for (uint other = 0; other < _daemons.Length; other++)
            {
                if (_links[pnn, other])
                {
                    _links[pnn, other] = _links[other, pnn] = false;
                    down.Add(other);
                }
            }
        }
        foreach (uint other in down)
        {
            Notify(pnn, other, connected: false);
        }
    }

    /// <summary>Cuts the link between two nodes, as one dropping the other does; it comes back when either starts or rejoins.</summary>
    public void Cut(uint a, uint b)
    {
        lock (_lock)
        {
            if (!_links[a, b])
            {
                return;
            }
            _links[a, b] = _links[b, a] = false;
        }
        Notify(a, b, connected: false);
    }

    /// <summary>A node holds another off (<see cref="INodeTransport.Hold"/>), or lets it link again.</summary>
    private void Hold(uint by, uint other, bool held)
    {
        lock (_lock)
        {
            _held[by, other] = held;
        }
        if (held)
        {
            Cut(by, other);
        }
        else
        {
            Started(by);
        }
    }

    private long Received(uint by, uint from)
    {
        lock (_lock)
        {
            return _received[by, from];
        }
    }

    /// <summary>Lets an isolated node connect again.</summary>
    public void Rejoin(uint pnn)
    {
        lock (_lock)
        {
            _isolated[pnn] = false;
        }
        Started(pnn);
    }

    /// <summary>Forgets a stopped daemon (its links must already be cut).</summary>
    public void Remove(uint pnn)
    {
        Isolate(pnn);
        lock (_lock)
        {
            _daemons[pnn] = null;
            _isolated[pnn] = false;
        }
    }

    private void Notify(uint a, uint b, bool connected)
    {
        Daemon? da, db;
        lock (_lock)
        {
            da = _daemons[a];
            db = _daemons[b];
        }
        if (connected)
        {
            da?.PostToLoop(() => da.Links.OnNodeConnected(b));
            db?.PostToLoop(() => db.Links.OnNodeConnected(a));
        }
        else
        {
            da?.PostToLoop(() => da.Links.OnNodeDisconnected(b));
            db?.PostToLoop(() => db.Links.OnNodeDisconnected(a));
        }
    }

    private bool Send(uint from, uint to, ReadOnlySpan<byte> packet)
    {
        Daemon? target;
        lock (_lock)
        {
            if (to >= _daemons.Length || !_links[from, to])
            {
                return false;
            }
            if (_stalled[from, to])
            {
                return true;
            }
            target = _daemons[to];
        }
        if (target is null)
        {
            return false;
        }
        var copy = packet.ToArray();
        target.PostToLoop(() =>
        {
            // A packet in flight when the link went down is lost, as on a real connection.
            lock (_lock)
            {
                if (!_links[from, to])
                {
                    return;
                }
                _received[to, from]++;
            }
            target.Links.OnNodePacket(from, copy);
        });
        return true;
    }

    private sealed class Link(MemoryHub hub, uint pnn) : INodeTransport
    {
        public void Start() => hub.Started(pnn);

        public bool Send(uint to, ReadOnlySpan<byte> packet) => hub.Send(pnn, to, packet);

        public long PacketsFrom(uint from) => hub.Received(pnn, from);

        public long QueuedTo(uint to) => 0;

        public void Drop(uint other, string reason) => hub.Cut(pnn, other);

        public void Hold(uint other, string? reason) => hub.Hold(pnn, other, reason is not null);

        public void Dispose()
        {
        }
    }
}
