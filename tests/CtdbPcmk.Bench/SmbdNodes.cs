// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Bench;

/// <summary>
/// A volatile database of every node of a cluster reached as smbd reaches it: a client on each
/// node, and the node's TDB file opened with the flags the daemon gives its clients
/// (DB_OPEN_FLAGS). Records are written as smbd writes them: brought to the node with a
/// NULL_FUNC call with IMMEDIATE_MIGRATION, then stored under the chain lock keeping the header.
/// One thread only: a process opens a TDB file once, and its chain locks do not exclude its own threads.
/// </summary>
internal sealed class SmbdNodes : IDisposable
{
    private const int MaxAttempts = 100;
    private readonly CtdbClient[] _clients;
    private readonly TdbFile[] _files;
    private byte[] _buffer = new byte[512];

    public SmbdNodes(LocalCluster cluster, string database)
    {
        _clients = new CtdbClient[cluster.Nodes];
        _files = new TdbFile[cluster.Nodes];
        try
        {
            for (int n = 0; n < cluster.Nodes; n++)
            {
                _clients[n] = CtdbClient.Connect(cluster.Socket(n));
                _clients[n].Timeout = TimeSpan.FromSeconds(60);
                DbId = _clients[n].AttachDatabase(database);
                _files[n] = Open(_clients[n], DbId);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public uint DbId { get; }

    public int Count => _clients.Length;

    public CtdbClient Client(int node) => _clients[node];

    public TdbFile File(int node) => _files[node];

    /// <summary>
    /// Brings the record to <paramref name="node"/> and, under its chain lock, stores
    /// <paramref name="value"/> keeping the header (null: stores nothing, a read).
    /// </summary>
    public void Write(int node, byte[] key, byte[]? value)
    {
        var file = _files[node];
        for (int attempt = 0; ; attempt++)
        {
            file.ChainLock(key);
            try
            {
                if (Header(node, key) is { } h && h.Dmaster == (uint)node)
                {
                    if (value is not null)
                    {
                        file.Store(key, h, value);
                    }
                    return;
                }
            }
            finally
            {
                file.ChainUnlock(key);
            }
            if (attempt == MaxAttempts)
            {
                throw new InvalidOperationException($"record {Encoding.ASCII.GetString(key)} did not come to node {node}");
            }
            int status = _clients[node].CallRaw(DbId, key, ReqCall.NullFunc, ReqCall.FlagImmediateMigration);
            if (status != 0)
            {
                throw new InvalidOperationException($"NULL_FUNC call for {Encoding.ASCII.GetString(key)} on node {node}: status {status}");
            }
        }
    }

    /// <summary>The header of node <paramref name="node"/>'s copy (null when it has none).</summary>
    public LtdbHeader? Header(int node, byte[] key)
    {
        int len = _files[node].FetchInto(key, ref _buffer);
        return len >= LtdbHeader.Size ? LtdbHeader.Read(_buffer) : null;
    }

    private static TdbFile Open(CtdbClient client, uint db)
    {
        byte[] id = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(id, db);
        int flags = BinaryPrimitives.ReadInt32LittleEndian(client.Control(ControlOpcode.DbOpenFlags, WireFormat.CurrentNode, id).Data);
        return TdbFile.Open(client.GetDbPath(db), 0, (TdbFlags)flags, 2 /* O_RDWR */, 0);
    }

    public void Dispose()
    {
        foreach (var f in _files)
        {
            f?.Dispose();
        }
        foreach (var c in _clients)
        {
            c?.Dispose();
        }
    }
}
