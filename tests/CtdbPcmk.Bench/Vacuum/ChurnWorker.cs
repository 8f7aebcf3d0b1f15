// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench.Vacuum;

/// <summary>
/// Creates and deletes records of a volatile database the way smbd does (<see cref="SmbdNodes"/>),
/// cycle i through node i mod N: the value written, then the record stored empty and
/// SCHEDULE_FOR_DELETION sent. Every other record is read through the next node before it is
/// deleted (so it leaves with data and other nodes hold copies). Keys are new every cycle.
/// </summary>
internal sealed class ChurnWorker(LocalCluster cluster, string database) : IDisposable
{
    private readonly SmbdNodes _nodes = new(cluster, database);
    private readonly byte[] _value = Encoding.ASCII.GetBytes(new string('v', 200));

    public long Cycles { get; private set; }

    /// <summary>Each node's file as seen now (from the thread that runs the cycles).</summary>
    public FileSample[] Sample(double seconds) => [.. Enumerable.Range(0, _nodes.Count).Select(n => FileSample.Take(_nodes.File(n), seconds))];

    /// <summary>One create/delete cycle of key number <paramref name="i"/>.</summary>
    public void Cycle(int i)
    {
        int node = i % _nodes.Count;
        int next = (i + 1) % _nodes.Count;
        byte[] key = Encoding.ASCII.GetBytes($"churn-{i}");
        _nodes.Write(node, key, _value);
        if (i / _nodes.Count % 2 == 1)
        {
            _nodes.Write(next, key, null);
        }
        _nodes.Write(node, key, []);
        Span<byte> kd = stackalloc byte[KeyData.FixedSize + key.Length];
        new KeyData(_nodes.DbId, _nodes.Header(node, key) ?? default, key).Write(kd);
        _nodes.Client(node).ControlRaw(ControlOpcode.ScheduleForDeletion, WireFormat.CurrentNode, kd, _nodes.DbId, ReqControl.FlagNoReply);
        Cycles++;
    }

    public void Dispose() => _nodes.Dispose();
}
