// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Statistics;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// Traffic between nodes: the node transport's packets sorted to the subsystems, controls
/// this node sends to others (and their replies or timeouts), node connection state, and
/// liveness probes. Loop thread only.
/// </summary>
internal sealed class NodeLinks(ClusterState cluster, EventLoop loop, TunableSettings tunables,
    DaemonStatistics statistics, Serilog.ILogger log) : INodeSink, IDisposable
{
    /// <summary>ctdbd's error text for a control to a node without a link.</summary>
    public const string DisconnectedNode = "ctdb_control to disconnected node";

    /// <summary>The error text of a node control that got no reply in time.</summary>
    public const string ControlTimedOut = "timed out";

    /// <summary>How long a probed node has to show any sign of life.</summary>
    private static readonly TimeSpan s_probeWait = TimeSpan.FromSeconds(1);

    private readonly ScratchBuffer _scratch = new();
    private readonly Dictionary<uint, PendingNodeControl> _pending = new();
    private uint _nextReqId = 1;
    private INodeTransport? _transport;
    private NodeTraffic? _traffic;

    /// <summary>A link to a node came up (after the node's flags say so).</summary>
    public event Action<uint>? NodeConnected;

    /// <summary>A node was lost (after what waited on it has failed).</summary>
    public event Action<uint>? NodeDisconnected;

    /// <summary>Sets where arriving packets go; once, before <see cref="Start"/>.</summary>
    public void Route(NodeTraffic traffic) => _traffic = traffic;

    /// <summary>Starts the links (null: this node runs alone).</summary>
    public void Start(INodeTransport? transport)
    {
        _transport = transport;
        _transport?.Start();
    }

    public void Dispose()
    {
        _transport?.Dispose();
        _transport = null;
    }

    uint INodeSink.Generation => cluster.Generation;

    uint INodeSink.UptimeSeconds => statistics.UptimeSeconds;

    void INodeSink.KeepaliveSent() => statistics.Counters.KeepalivePacketsSent++;

    /// <summary>Sends one whole packet to another node; false when there is no link to it.</summary>
    public bool Send(uint pnn, ReadOnlySpan<byte> packet)
    {
        if (!CanSend(pnn))
        {
            return false;
        }
        statistics.Counters.NodePacketsSent++;
        return _transport!.Send(pnn, packet);
    }

    /// <summary>Bytes queued to a node and not yet written to its socket.</summary>
    public long QueuedTo(uint pnn) => _transport?.QueuedTo(pnn) ?? 0;

    /// <summary>Another node with a link up: what <see cref="Send"/> would take (checked before a packet is built for nothing).</summary>
    public bool CanSend(uint pnn) => _transport is not null && pnn != cluster.Pnn && cluster.IsConnected(pnn);

    /// <summary>A request id for a packet this daemon originates towards other nodes.</summary>
    public uint NextReqId()
    {
        uint id = _nextReqId++;
        if (_nextReqId == 0)
        {
            _nextReqId = 1;
        }
        return id;
    }

    /// <summary>A packet from node <paramref name="from"/>; malformed input throws and closes that link.</summary>
    public void OnNodePacket(uint from, ReadOnlySpan<byte> packet)
    {
        var traffic = _traffic ?? throw new InvalidOperationException("node traffic is not routed");
        var header = PacketHeader.Read(packet);
        var counters = statistics.Counters;
        counters.NodePacketsRecv++;
        switch (header.Operation)
        {
            case Operation.ReqControl:
                counters.NodeReqControl++;
                OnControl(traffic, header, ReqControl.Read(packet));
                break;
            case Operation.ReplyControl:
                OnControlReply(header, ReplyControl.Read(packet));
                break;
            case Operation.ReqMessage:
                counters.NodeReqMessage++;
                var msg = ReqMessage.Read(packet);
                traffic.DeliverMessage(msg.Srvid, msg.Data);
                break;
            case Operation.ReqCall or Operation.ReplyCall or Operation.ReqDmaster or Operation.ReplyDmaster or Operation.ReplyError:
                traffic.OnCallPacket(from, header, packet);
                break;
            case Operation.ReqKeepalive:
                // Any packet counts as a sign of life; the transport has already noted it.
                ReqKeepalive.Read(packet);
                counters.KeepalivePacketsRecv++;
                break;
            case Operation.ReqTunnel:
                log.Debug("Tunnel packet from node {Pnn}: no tunnel is registered, dropped", from);
                break;
            default:
                throw new ProtocolException($"operation {(uint)header.Operation} is not valid between nodes");
        }
    }

    private void OnControl(NodeTraffic traffic, PacketHeader header, ReqControl control)
    {
        var origin = new ControlOrigin(null, header.SrcNode, header.ReqId);
        var reply = traffic.RunControl(origin, control);
        if (!control.NoReply && !reply.IsDeferred)
        {
            SendControlReply(header.SrcNode, header.ReqId, reply);
        }
    }

    /// <summary>The reply to a control another node sent here.</summary>
    public void SendControlReply(uint pnn, uint reqId, ControlReply reply)
    {
        var header = new PacketHeader(0, cluster.Generation, Operation.ReplyControl, pnn, cluster.Pnn, reqId);
        Send(pnn, ControlData.EncodeReply(_scratch, header, reply));
    }

    private void OnControlReply(PacketHeader header, ReplyControl reply)
    {
        if (!_pending.Remove(header.ReqId, out var pending))
        {
            log.Debug("Reply to unknown or timed-out control {ReqId} from node {Pnn}", header.ReqId, header.SrcNode);
            return;
        }
        pending.Timeout?.Cancel();
        string? error = reply.ErrorMessage.IsEmpty ? null : reply.ErrorText();
        pending.Done(new ControlReply(reply.Status, reply.Data.IsEmpty ? null : reply.Data.ToArray(), error));
    }

    /// <summary>
    /// Sends a control to one node (this one included) and calls <paramref name="done"/> with
    /// its reply, never from inside this call. A node without a link answers at once with
    /// ctdbd's "disconnected node" error; no reply within the timeout gives status -1.
    /// </summary>
    public void SendControl(uint pnn, ControlOpcode opcode, ulong srvid, ReadOnlySpan<byte> data,
        Action<ControlReply> done, TimeSpan? timeout = null, uint flags = 0, uint clientId = 0)
    {
        var control = new ReqControl { Opcode = opcode, Srvid = srvid, ClientId = clientId, Flags = flags, Data = data };
        if (pnn == cluster.Pnn || pnn == WireFormat.CurrentNode)
        {
            var traffic = _traffic ?? throw new InvalidOperationException("node traffic is not routed");
            var origin = new ControlOrigin(null, cluster.Pnn, 0, reply => loop.Post(() => done(reply)));
            var reply = traffic.RunControl(origin, control);
            if (!reply.IsDeferred)
            {
                loop.Post(() => done(reply));
            }
            return;
        }
        if (!CanSend(pnn))
        {
            loop.Post(() => done(ControlReply.Failed(DisconnectedNode)));
            return;
        }
        uint reqId = NextReqId();
        var buffer = _scratch.Get(Packet.WireSize(control.ContentLength));
        int size = control.Write(buffer, new PacketHeader(0, cluster.Generation, Operation.ReqControl, pnn, cluster.Pnn, reqId));
        if (!Send(pnn, buffer[..size]))
        {
            loop.Post(() => done(ControlReply.Failed(DisconnectedNode)));
            return;
        }
        if (control.NoReply)
        {
            return;
        }
        var pending = new PendingNodeControl(pnn, done, loop.Now);
        _pending[reqId] = pending;
        var wait = timeout ?? TimeSpan.FromSeconds(tunables.Get("ControlTimeout"));
        pending.Timeout = loop.AddTimer(wait, () =>
        {
            if (_pending.Remove(reqId))
            {
                done(ControlReply.Failed(ControlTimedOut));
            }
        });
    }

    /// <summary>Sends a NOREPLY-style control to every connected node but this one, ignoring the outcome.</summary>
    public void SendToPeers(ControlOpcode opcode, ReadOnlySpan<byte> data, uint flags = 0)
    {
        foreach (uint pnn in cluster.ConnectedPeers())
        {
            SendControl(pnn, opcode, 0, data, static _ => { }, flags: flags);
        }
    }

    /// <summary>The links to a node are up in both directions.</summary>
    public void OnNodeConnected(uint pnn)
    {
        cluster.SetFlags(pnn, cluster.FlagsOf(pnn) & ~(NodeFlags.Disconnected | NodeFlags.Unhealthy));
        log.Information("Node {Pnn} connected", pnn);
        NodeConnected?.Invoke(pnn);
    }

    /// <summary>A link to a node went down or its keepalives stopped: fail what waits on it.</summary>
    public void OnNodeDisconnected(uint pnn)
    {
        cluster.SetFlags(pnn, cluster.FlagsOf(pnn) | NodeFlags.Disconnected | NodeFlags.Unhealthy);
        log.Warning("Node {Pnn} disconnected", pnn);
        foreach (var (reqId, pending) in _pending.Where(p => p.Value.Pnn == pnn).ToArray())
        {
            _pending.Remove(reqId);
            pending.Timeout?.Cancel();
            pending.Done(ControlReply.Failed(DisconnectedNode));
        }
        NodeDisconnected?.Invoke(pnn);
    }

    /// <summary>When the oldest control still waiting for another node's reply was sent (loop timestamp), or null.</summary>
    public long? OldestPendingSent() => _pending.Count == 0 ? null : _pending.Values.Min(p => p.Sent);

    /// <summary>Holds a node off while <paramref name="reason"/> is not null (see <see cref="INodeTransport.Hold"/>).</summary>
    public void Hold(uint pnn, string? reason) => _transport?.Hold(pnn, reason);

    /// <summary>
    /// Pacemaker saw the membership change (the agent's notify, or this node taking the leader
    /// role). A node that died without closing its links (power loss, a cut cable, a hung host)
    /// would stay connected here until KeepaliveInterval × KeepaliveLimit, and a recovery would
    /// wait on it. So every connected node gets a GET_PNN; one from which nothing at all (the
    /// reply or any other packet) arrives within <see cref="s_probeWait"/> is dropped as lost.
    /// A node that is merely busy still sends its keepalives and replies, and stays.
    /// </summary>
    public void ProbePeers(string why) => ProbePeers(why, s_probeWait);

    /// <summary><see cref="ProbePeers(string)"/> giving each node <paramref name="wait"/> to show a sign of life.</summary>
    public void ProbePeers(string why, TimeSpan wait)
    {
        if (_transport is not { } links)
        {
            return;
        }
        foreach (uint node in cluster.ConnectedPeers())
        {
            long heard = links.PacketsFrom(node);
            SendControl(node, ControlOpcode.GetPnn, 0, default, reply =>
            {
                if (reply.Error != ControlTimedOut || links.PacketsFrom(node) != heard || !cluster.IsConnected(node))
                {
                    return;
                }
                log.Warning("Node {Pnn} sent nothing for {Seconds} s after a liveness probe ({Why})", node, wait.TotalSeconds, why);
                links.Drop(node, $"no answer to a liveness probe after {why}");
            }, wait);
        }
    }
}
