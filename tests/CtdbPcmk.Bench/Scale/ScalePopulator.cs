// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;
using CtdbPcmk.Tdb;

namespace CtdbPcmk.Bench.Scale;

/// <summary>
/// Fills a volatile database of a cluster with records spread over every node, as smbd creates
/// them: each key through a client on its lmaster (a NULL_FUNC call there creates the record
/// without a migration), its value written into that node's TDB under the chain lock. One
/// thread (a process opens a TDB file once, and its chain locks do not exclude its own threads).
/// </summary>
internal sealed class ScalePopulator : IDisposable
{
    private readonly CtdbClient[] _clients;
    private readonly TdbFile[] _files;
    private readonly uint _db;
    private readonly VnnMap _vnn;
    private readonly byte[] _value = Encoding.ASCII.GetBytes(new string('s', 100));
    private byte[] _buffer = new byte[512];

    /// <summary>A populator of a database that already holds <paramref name="existing"/> of its records.</summary>
    public ScalePopulator(LocalCluster cluster, string database, long existing)
    {
        Records = existing;
        _clients = new CtdbClient[cluster.Nodes];
        _files = new TdbFile[cluster.Nodes];
        for (int n = 0; n < cluster.Nodes; n++)
        {
            _clients[n] = CtdbClient.Connect(cluster.Socket(n));
            _clients[n].Timeout = TimeSpan.FromSeconds(60);
            _db = _clients[n].AttachDatabase(database);
            byte[] id = new byte[4];
            BinaryPrimitives.WriteUInt32LittleEndian(id, _db);
            int flags = BinaryPrimitives.ReadInt32LittleEndian(_clients[n].Control(ControlOpcode.DbOpenFlags, WireFormat.CurrentNode, id).Data);
            _files[n] = TdbFile.Open(_clients[n].GetDbPath(_db), 0, (TdbFlags)flags, 2 /* O_RDWR */, 0);
        }
        _vnn = VnnMap.Read(_clients[0].Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default).Data);
    }

    public uint DbId => _db;

    public long Records { get; private set; }

    /// <summary>Adds records until the database holds <paramref name="total"/>.</summary>
    public void FillTo(long total)
    {
        for (long i = Records; i < total; i++)
        {
            byte[] key = Encoding.ASCII.GetBytes($"scale-{i}");
            uint node = _vnn.LmasterOf(key);
            Create((int)node, key);
            Records++;
        }
    }

    private void Create(int node, byte[] key)
    {
        var file = _files[node];
        for (int attempt = 0; ; attempt++)
        {
            file.ChainLock(key);
            try
            {
                int len = file.FetchInto(key, ref _buffer);
                if (len >= LtdbHeader.Size && LtdbHeader.Read(_buffer).Dmaster == (uint)node)
                {
                    file.Store(key, LtdbHeader.Read(_buffer), _value);
                    return;
                }
            }
            finally
            {
                file.ChainUnlock(key);
            }
            if (attempt == 50)
            {
                throw new InvalidOperationException($"record {Encoding.ASCII.GetString(key)} was not created on node {node}");
            }
            int status = _clients[node].CallRaw(_db, key, ReqCall.NullFunc, ReqCall.FlagImmediateMigration);
            if (status != 0)
            {
                throw new InvalidOperationException($"NULL_FUNC call on node {node}: status {status}");
            }
        }
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
