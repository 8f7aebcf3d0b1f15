// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Bench.Vacuum;

/// <summary>
/// Creates and deletes records of a volatile database the way smbd does, cycle i through node
/// i mod N: a NULL_FUNC call with IMMEDIATE_MIGRATION brings the record there, the value is
/// written into that node's TDB under the chain lock, and a deletion stores the record empty and
/// sends SCHEDULE_FOR_DELETION. Every other record is read through the next node before it is
/// deleted (so it leaves with data and other nodes hold copies). Keys are new every cycle. One
/// thread: a process holds a TDB file open once, and its chain locks do not exclude its own threads.
/// </summary>
internal sealed class ChurnWorker : IDisposable
{
    private readonly CtdbClient[] _clients;
    private readonly TdbFile[] _files;
    private readonly uint _db;
    private readonly byte[] _value = Encoding.ASCII.GetBytes(new string('v', 200));
    private byte[] _buffer = new byte[512];

    public ChurnWorker(LocalCluster cluster, string database)
    {
        _clients = new CtdbClient[cluster.Nodes];
        _files = new TdbFile[cluster.Nodes];
        for (int n = 0; n < cluster.Nodes; n++)
        {
            _clients[n] = Connect(cluster, n);
            _db = _clients[n].AttachDatabase(database);
            _files[n] = Open(_clients[n], _db);
        }
    }

    public long Cycles { get; private set; }

    /// <summary>Each node's file as seen now (from the thread that runs the cycles).</summary>
    public FileSample[] Sample(double seconds) => [.. _files.Select(f => FileSample.Take(f, seconds))];

    /// <summary>One create/delete cycle of key number <paramref name="i"/>.</summary>
    public void Cycle(int i)
    {
        uint node = (uint)(i % _clients.Length);
        uint next = (uint)((i + 1) % _clients.Length);
        byte[] key = Encoding.ASCII.GetBytes($"churn-{i}");
        Write(node, key, _value);
        if (i / _clients.Length % 2 == 1)
        {
            Write(next, key, null);
        }
        Write(node, key, []);
        Span<byte> kd = stackalloc byte[KeyData.FixedSize + key.Length];
        new KeyData(_db, ReadHeader(_files[node], key), key).Write(kd);
        _clients[node].ControlRaw(ControlOpcode.ScheduleForDeletion, WireFormat.CurrentNode, kd, _db, ReqControl.FlagNoReply);
        Cycles++;
    }

    /// <summary>
    /// Brings the record to <paramref name="node"/> and, under its chain lock, stores
    /// <paramref name="value"/> (null: leaves it as it is, a read) keeping the header.
    /// </summary>
    private void Write(uint node, byte[] key, byte[]? value)
    {
        var file = _files[node];
        for (int attempt = 0; ; attempt++)
        {
            file.ChainLock(key);
            try
            {
                int len = file.FetchInto(key, ref _buffer);
                if (len >= LtdbHeader.Size && LtdbHeader.Read(_buffer).Dmaster == node)
                {
                    if (value is not null)
                    {
                        file.Store(key, LtdbHeader.Read(_buffer), value);
                    }
                    return;
                }
            }
            finally
            {
                file.ChainUnlock(key);
            }
            if (attempt == 100)
            {
                throw new InvalidOperationException($"record {Encoding.ASCII.GetString(key)} did not come to node {node}");
            }
            int status = _clients[node].CallRaw(_db, key, ReqCall.NullFunc, ReqCall.FlagImmediateMigration);
            if (status != 0)
            {
                throw new InvalidOperationException($"NULL_FUNC call for {Encoding.ASCII.GetString(key)} on node {node}: status {status}");
            }
        }
    }
    private LtdbHeader ReadHeader(TdbFile file, byte[] key)
    {
        int len = file.FetchInto(key, ref _buffer);
        return len >= LtdbHeader.Size ? LtdbHeader.Read(_buffer) : default;
    }

    private static CtdbClient Connect(LocalCluster cluster, int node)
    {
        var c = CtdbClient.Connect(cluster.Socket(node));
        c.Timeout = TimeSpan.FromSeconds(30);
        return c;
    }

    /// <summary>The local TDB file, opened with the flags the daemon gives its clients (DB_OPEN_FLAGS), as smbd does.</summary>
    private static TdbFile Open(CtdbClient client, uint db)
    {
        string path = client.GetDbPath(db);
        Span<byte> id = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(id, db);
        var flags = client.Control(ControlOpcode.DbOpenFlags, WireFormat.CurrentNode, id);
        int tdbFlags = BinaryPrimitives.ReadInt32LittleEndian(flags.Data);
        return TdbFile.Open(path, 0, (TdbFlags)tdbFlags, 2 /* O_RDWR */, 0);
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
