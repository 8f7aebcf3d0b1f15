// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Clients;
using CtdbPcmk.Server.Cluster;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Server.Transport;

namespace CtdbPcmk.Server;

/// <summary>
/// Traffic between nodes: packets arriving over the node transport, controls this daemon
/// sends to other nodes (its own, and its clients' forwarded ones), and messages.
/// </summary>
public sealed partial class Daemon
{
    private const string DisconnectedNode = "ctdb_control to disconnected node";

    /// <summary>Links to the other nodes; null while the daemon runs alone.</summary>
    private INodeTransport? _nodeLinks;
    private readonly Dictionary<uint, PendingNodeControl> _nodeControls = new();
    private uint _nextNodeReqId = 1;

    /// <summary>
    /// Links to every other node of the nodes file, or null when this node is the only one or
    /// the node port is 0 (daemons that are not to link up).
    /// </summary>
    private TcpNodeTransport? CreateNodeTransport() =>
        _options.NodePort != 0 && _cluster.Nodes.Count(n => n is not null) > 1
            ? new TcpNodeTransport(this, _loop, _log, _cluster.Nodes, _cluster.Pnn, _options.NodePort)
            : null;

    /// <summary>Generation stamped on packets this node originates.</summary>
    internal uint NodeGeneration => _cluster.Generation;

    /// <summary>Whole seconds since the daemon started (carried in keepalives).</summary>
    internal uint UptimeSeconds => (uint)Math.Max(0, (_loop.Time.GetUtcNow() - _startTime).TotalSeconds);

    internal void NoteKeepaliveSent() => _statistics.KeepalivePacketsSent++;

    /// <summary>Sends one whole packet to another node; false when there is no link to it.</summary>
    internal bool SendToNode(uint pnn, ReadOnlySpan<byte> packet)
    {
        if (_nodeLinks is null || pnn == _cluster.Pnn || !_cluster.IsConnected(pnn))
        {
            return false;
        }
        _statistics.NodePacketsSent++;
        return _nodeLinks.Send(pnn, packet);
    }

    /// <summary>A request id for a packet this daemon originates towards other nodes.</summary>
    internal uint NextNodeReqId()
    {
        uint id = _nextNodeReqId++;
        if (_nextNodeReqId == 0)
        {
            _nextNodeReqId = 1;
        }
        return id;
    }

    /// <summary>Nodes a broadcast reaches (this node included when it qualifies).</summary>
    internal IEnumerable<uint> BroadcastTargets(uint destNode)
    {
        for (uint pnn = 0; pnn < (uint)_cluster.NodeCount; pnn++)
        {
            if (!_cluster.IsConnected(pnn))
            {
                continue;
            }
            bool take = destNode switch
            {
                WireFormat.BroadcastActive => _cluster.IsActive(pnn),
                WireFormat.Multicast => _cluster.VnnMap.Map.Contains(pnn),
                _ => true,
            };
            if (take)
            {
                yield return pnn;
            }
        }
    }

    /// <summary>A packet from node <paramref name="from"/>; malformed input throws and closes that link.</summary>
    internal void OnNodePacket(uint from, ReadOnlySpan<byte> packet)
    {
        var header = PacketHeader.Read(packet);
        _statistics.NodePacketsRecv++;
        switch (header.Operation)
        {
            case Operation.ReqControl:
                _statistics.NodeReqControl++;
                OnNodeControl(header, ReqControl.Read(packet));
                break;
            case Operation.ReplyControl:
                OnNodeControlReply(header, ReplyControl.Read(packet));
                break;
            case Operation.ReqMessage:
                _statistics.NodeReqMessage++;
                DeliverLocal(ReqMessage.Read(packet).Srvid, ReqMessage.Read(packet).Data);
                break;
            case Operation.ReqCall or Operation.ReplyCall or Operation.ReqDmaster or Operation.ReplyDmaster or Operation.ReplyError:
                OnNodeCallPacket(from, header, packet);
                break;
            case Operation.ReqKeepalive:
                // Any packet counts as a sign of life; the transport has already noted it.
                ReqKeepalive.Read(packet);
                _statistics.KeepalivePacketsRecv++;
                break;
            case Operation.ReqTunnel:
                _log.Debug("Tunnel packet from node {Pnn}: no tunnel is registered, dropped", from);
                break;
            default:
                throw new ProtocolException($"operation {(uint)header.Operation} is not valid between nodes");
        }
    }

    private void OnNodeControl(PacketHeader header, ReqControl control)
    {
        var origin = new ControlOrigin(null, header.SrcNode, header.ReqId);
        var reply = Dispatch(origin, control);
        if (!control.NoReply && !reply.IsDeferred)
        {
            SendNodeControlReply(header.SrcNode, header.ReqId, reply);
        }
    }

    private void SendNodeControlReply(uint pnn, uint reqId, ControlReply reply)
    {
        var header = new PacketHeader(0, _cluster.Generation, Operation.ReplyControl, pnn, _cluster.Pnn, reqId);
        SendToNode(pnn, EncodeControlReply(header, reply));
    }

    private void OnNodeControlReply(PacketHeader header, ReplyControl reply)
    {
        if (!_nodeControls.Remove(header.ReqId, out var pending))
        {
            _log.Debug("Reply to unknown or timed-out control {ReqId} from node {Pnn}", header.ReqId, header.SrcNode);
            return;
        }
        pending.Timeout?.Cancel();
        string? error = reply.ErrorMessage.IsEmpty ? null : reply.ErrorText();
        pending.Done(new ControlReply(reply.Status, reply.Data.IsEmpty ? null : reply.Data.ToArray(), error));
    }

    /// <summary>The error text of a node control that got no reply in time.</summary>
    private const string ControlTimedOut = "timed out";

    /// <summary>
    /// Sends a control to one node (this one included) and calls <paramref name="done"/> with
    /// its reply, never from inside this call. A node without a link answers at once with
    /// ctdbd's "disconnected node" error; no reply within the timeout gives status -1.
    /// </summary>
    internal void SendNodeControl(uint pnn, ControlOpcode opcode, ulong srvid, ReadOnlySpan<byte> data,
        Action<ControlReply> done, TimeSpan? timeout = null, uint flags = 0, uint clientId = 0)
    {
        if (pnn == _cluster.Pnn || pnn == WireFormat.CurrentNode)
        {
            var c = new ReqControl { Opcode = opcode, Srvid = srvid, ClientId = clientId, Flags = flags, Data = data };
            var origin = new ControlOrigin(null, _cluster.Pnn, 0, reply => _loop.Post(() => done(reply)));
            var reply = Dispatch(origin, c);
            if (!reply.IsDeferred)
            {
                _loop.Post(() => done(reply));
            }
            return;
        }
        uint reqId = NextNodeReqId();
        var control = new ReqControl { Opcode = opcode, Srvid = srvid, ClientId = clientId, Flags = flags, Data = data };
        var buffer = Scratch(Packet.WireSize(control.ContentLength));
        int size = control.Write(buffer, new PacketHeader(0, _cluster.Generation, Operation.ReqControl, pnn, _cluster.Pnn, reqId));
        if (!SendToNode(pnn, buffer[..size]))
        {
            _loop.Post(() => done(ControlReply.Failed(DisconnectedNode)));
            return;
        }
        if (control.NoReply)
        {
            return;
        }
        var pending = new PendingNodeControl(pnn, done);
        _nodeControls[reqId] = pending;
        var wait = timeout ?? TimeSpan.FromSeconds(Tunable("ControlTimeout"));
        pending.Timeout = _loop.AddTimer(wait, () =>
        {
            if (_nodeControls.Remove(reqId))
            {
                done(ControlReply.Failed(ControlTimedOut));
            }
        });
    }

    /// <summary>A client's control for another node: sent on, the reply passed back under the client's reqid.</summary>
    private void ForwardControl(ClientConnection client, PacketHeader header, ReqControl control)
    {
        if (!_cluster.IsValidNode(header.DestNode))
        {
            if (!control.NoReply)
            {
                SendControlReply(client, header.ReqId, ControlReply.Failed(DisconnectedNode));
            }
            return;
        }
        uint clientReqId = header.ReqId;
        bool noReply = control.NoReply;
        SendNodeControl(header.DestNode, control.Opcode, control.Srvid, control.Data, reply =>
        {
            if (!noReply && !client.IsClosed)
            {
                SendControlReply(client, clientReqId, reply);
            }
        }, flags: control.Flags, clientId: control.ClientId);
    }

    /// <summary>A broadcast control (always NOREPLY): run here if this node qualifies, sent to every other target.</summary>
    private void BroadcastControl(ClientConnection client, PacketHeader header, ReqControl control)
    {
        foreach (uint pnn in BroadcastTargets(header.DestNode).ToArray())
        {
            if (pnn == _cluster.Pnn)
            {
                Dispatch(new ControlOrigin(client, _cluster.Pnn, header.ReqId), control);
            }
            else
            {
                SendNodeControl(pnn, control.Opcode, control.Srvid, control.Data, static _ => { }, flags: control.Flags, clientId: control.ClientId);
            }
        }
    }

    /// <summary>A message for another node; dropped when that node is not connected, as in ctdbd.</summary>
    private void SendMessageToNode(uint pnn, ulong srvid, ReadOnlySpan<byte> data)
    {
        var msg = new ReqMessage { Srvid = srvid, Data = data };
        var buffer = Scratch(Packet.WireSize(msg.ContentLength));
        int size = msg.Write(buffer, new PacketHeader(0, _cluster.Generation, Operation.ReqMessage, pnn, _cluster.Pnn, 0));
        if (!SendToNode(pnn, buffer[..size]))
        {
            _log.Verbose("Message for srvid 0x{Srvid:x16} to disconnected node {Pnn} dropped", srvid, pnn);
        }
    }

    /// <summary>The link to a node is up in both directions.</summary>
    internal void OnNodeConnected(uint pnn)
    {
        uint flags = _cluster.FlagsOf(pnn) & ~(NodeFlags.Disconnected | NodeFlags.Unhealthy);
        _cluster.SetFlags(pnn, flags);
        _log.Information("Node {Pnn} connected", pnn);
        OnMembershipChanged();
        _publicAddresses.OnNodeConnected(pnn);
    }

    /// <summary>A link to a node went down or its keepalives stopped: fail what waits on it.</summary>
    internal void OnNodeDisconnected(uint pnn)
    {
        _cluster.SetFlags(pnn, _cluster.FlagsOf(pnn) | NodeFlags.Disconnected | NodeFlags.Unhealthy);
        _log.Warning("Node {Pnn} disconnected", pnn);
        foreach (var (reqId, pending) in _nodeControls.Where(p => p.Value.Pnn == pnn).ToArray())
        {
            _nodeControls.Remove(reqId);
            pending.Timeout?.Cancel();
            pending.Done(ControlReply.Failed(DisconnectedNode));
        }
        _publicAddresses.OnNodeGone(pnn);
        OnMembershipChanged();
    }

    /// <summary>Controls no other handler knows: an error reply, never a dropped connection.</summary>
    private ControlReply NodeControl(ClientConnection? client, ReqControl c)
    {
        _log.Debug("Unsupported control {Opcode} ({Number}) from client {Id}", c.Opcode, (uint)c.Opcode, client?.Id);
        return ControlReply.Failed($"control {(uint)c.Opcode} is not implemented");
    }
}
