// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Clients;

/// <summary>
/// One connection on the client socket (smbd, the ctdb tool, agents): who is on the other
/// end. What a client registered or started is kept by the subsystem it belongs to, which
/// lets go of it when <see cref="ClientSessions.Closed"/> says the client has gone.
/// </summary>
internal sealed class ClientConnection
{
    public ClientConnection(uint id, PacketConnection connection, int pid, uint uid)
    {
        Id = id;
        Connection = connection;
        Pid = pid;
        Uid = uid;
    }

    /// <summary>Daemon-assigned non-zero id (0 means "from another daemon").</summary>
    public uint Id { get; }
    public PacketConnection Connection { get; }
    /// <summary>Peer pid from SO_PEERCRED at accept.</summary>
    public int Pid { get; }
    public uint Uid { get; }

    /// <summary>Calls of this client waiting in the daemon (see <see cref="PendingCallLimit"/>).</summary>
    public int PendingCalls { get; set; }

    /// <summary>Its input is held because <see cref="PendingCalls"/> reached the limit.</summary>
    public bool CallsHeld { get; set; }

    /// <summary>Legacy START_PERSISTENT_UPDATE count.</summary>
    public int PersistentUpdates { get; set; }

    public bool IsClosed => Connection.IsClosed;

    public override string ToString() => $"client {Id} (pid {Pid})";
}
