// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench.Scale;

/// <summary>
/// Fills a volatile database of a cluster with records spread over every node, as smbd creates
/// them (<see cref="SmbdNodes"/>): each key through its lmaster, where the NULL_FUNC call creates
/// the record without a migration.
/// </summary>
internal sealed class ScalePopulator : IDisposable
{
    private readonly SmbdNodes _nodes;
    private readonly VnnMap _vnn;
    private readonly byte[] _value = Encoding.ASCII.GetBytes(new string('s', 100));

    /// <summary>A populator of a database that already holds <paramref name="existing"/> of its records.</summary>
    public ScalePopulator(LocalCluster cluster, string database, long existing)
    {
        Records = existing;
        _nodes = new SmbdNodes(cluster, database);
        _vnn = VnnMap.Read(_nodes.Client(0).Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default).Data);
    }

    public long Records { get; private set; }

    /// <summary>Adds records until the database holds <paramref name="total"/>.</summary>
    public void FillTo(long total)
    {
        for (long i = Records; i < total; i++)
        {
            byte[] key = Encoding.ASCII.GetBytes($"scale-{i}");
            _nodes.Write((int)_vnn.LmasterOf(key), key, _value);
            Records++;
        }
    }

    public void Dispose() => _nodes.Dispose();
}
