// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench.ThreeNode;

/// <summary>
/// One record of a volatile database taken in turn by one client on each node of a ring, with
/// REQ_CALL FETCH_FUNC and the immediate-migration flag (how smbd's fetch-locked moves a record
/// to its node): every call migrates the record from the previous node. Each reply's value is
/// checked, and after each round the record's header on the last node must name that node as
/// dmaster with its rsn advanced by at least one per call.
/// </summary>
internal sealed class MigrationRing : IRound
{
    public const string Database = "bench-ring.tdb";
    public const int Iterations = 2000;
    private readonly int[] _ring;
    private readonly CtdbClient[] _clients;
    private readonly uint _dbId;
    private readonly byte[] _key;
    private readonly byte[] _value;
    private int _turn;

    public MigrationRing(LocalCluster cluster, int[] ring, bool lmasterInRing)
    {
        _ring = ring;
        _clients = new CtdbClient[ring.Length];
        try
        {
            for (int i = 0; i < ring.Length; i++)
            {
                _clients[i] = CtdbClient.Connect(cluster.Socket(ring[i]));
                _clients[i].Timeout = TimeSpan.FromSeconds(10);
                _clients[i].GetPnn();
                _dbId = _clients[i].AttachDatabase(Database);
            }
            var vnn = VnnMap.Read(_clients[0].Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default).Data);
            _key = PickKey(vnn, ring, lmasterInRing);
            _value = Encoding.ASCII.GetBytes($"ring-value-{ring.Length}-0123456789abcdef");
            var w = cluster.Ctdb(ring[0], "writekey", Database, Encoding.ASCII.GetString(_key), Encoding.ASCII.GetString(_value));
            if (!w.Ok)
            {
                throw new InvalidOperationException($"writekey of the ring record failed: {w}");
            }
            Lmaster = (int)vnn.LmasterOf(_key);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The node that is lmaster of the ring's record.</summary>
    public int Lmaster { get; }

    public void Warmup()
    {
        for (int i = 0; i < 200; i++)
        {
            Take(i);
        }
    }

    public PhaseResult Run()
    {
        ulong rsnBefore = Header(_turn - 1).Rsn;
        var r = Timed.Loop(Iterations, TimeSpan.FromSeconds(5), Take);
        var h = Header(_turn - 1);
        int last = _ring[(_turn - 1) % _ring.Length];
        if (h.Dmaster != (uint)last || h.Rsn < rsnBefore + (ulong)r.LatencyTicks.Length)
        {
            throw new InvalidOperationException(
                $"after {r.LatencyTicks.Length} calls the record's header says dmaster {h.Dmaster} rsn {h.Rsn} (before: rsn {rsnBefore}); expected dmaster {last} and rsn ≥ {rsnBefore + (ulong)r.LatencyTicks.Length}: the record did not migrate on every call");
        }
        return r;
    }

    public void Dispose()
    {
        foreach (var c in _clients)
        {
            c?.Dispose();
        }
    }

    private void Take(int _)
    {
        var c = _clients[_turn % _ring.Length];
        _turn++;
        int status = c.CallRaw(_dbId, _key, ReqCall.FetchFunc, ReqCall.FlagImmediateMigration);
        if (status != 0 || !c.LastReplyData.SequenceEqual(_value))
        {
            throw new InvalidOperationException($"FETCH on node {c.GetPnn()} answered status {status} with '{Encoding.ASCII.GetString(c.LastReplyData)}'");
        }
    }

    /// <summary>The record's header as the node that took it last holds it (a local call: no migration).</summary>
    private LtdbHeader Header(int turn)
    {
        var c = _clients[((turn % _ring.Length) + _ring.Length) % _ring.Length];
        int status = c.CallRaw(_dbId, _key, ReqCall.FetchWithHeaderFunc, 0);
        return status == 0 && LtdbHeader.TryRead(c.LastReplyData, out var h)
            ? h
            : throw new InvalidOperationException($"FETCH_WITH_HEADER answered status {status} with {c.LastReplyData.Length} bytes");
    }

    /// <summary>A key whose lmaster is (or is not) one of the ring's nodes.</summary>
    private static byte[] PickKey(VnnMap vnn, int[] ring, bool lmasterInRing)
    {
        for (int i = 0; ; i++)
        {
            byte[] key = Encoding.ASCII.GetBytes($"ring{ring.Length}-key-{i}");
            if (ring.Contains((int)vnn.LmasterOf(key)) == lmasterInRing)
            {
                return key;
            }
        }
    }
}
