// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server.Clients;

/// <summary>
/// One connection on the client socket (smbd, the ctdb tool, agents) and the state it owns:
/// torn down together when the connection closes.
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

    /// <summary>Registered srvids; a srvid registered twice is delivered twice, as ctdbd does.</summary>
    public List<ulong> Srvids { get; } = new();

    /// <summary>Traverses this client started that are still streaming.</summary>
    public List<Traverse.LocalTraverse> Traverses { get; } = new();

    /// <summary>Legacy START_PERSISTENT_UPDATE count.</summary>
    public int PersistentUpdates { get; set; }

    public bool IsClosed => Connection.IsClosed;
}
