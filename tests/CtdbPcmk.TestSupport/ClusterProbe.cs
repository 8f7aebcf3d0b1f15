// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.TestSupport;

/// <summary>
/// Polls nodes with the controls the ctdb tool's status uses (GET_RECMODE, GETVNNMAP,
/// GET_NODEMAP) over one kept connection per node, so polling every few milliseconds costs no
/// process starts. A node that does not answer is reported, not waited for.
/// </summary>
public sealed class ClusterProbe : IDisposable
{
    private static readonly TimeSpan s_controlTimeout = TimeSpan.FromSeconds(1);
    private readonly Func<int, string> _socketOf;
    private readonly Dictionary<int, CtdbClient> _clients = [];

    public ClusterProbe(Func<int, string> socketOf) => _socketOf = socketOf;

    /// <summary>The node's view, or null with <paramref name="error"/> when it does not answer.</summary>
    public NodeView? Look(int pnn, out string error)
    {
        error = "";
        try
        {
            var c = Client(pnn);
            var mode = c.GetRecMode();
            var r = c.Control(ControlOpcode.GetVnnMap, WireFormat.CurrentNode, default);
            if (r.Status != 0)
            {
                error = $"node {pnn}: GETVNNMAP status {r.Status}";
                return null;
            }
            var vnn = VnnMap.Read(r.Data);
            var nodes = c.GetNodeMap();
            return new NodeView(pnn, mode, vnn.Generation, nodes);
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException or ProtocolException)
        {
            Drop(pnn);
            error = $"node {pnn}: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// True when every node of <paramref name="alive"/> is in recovery mode NORMAL with one common
    /// generation other than <paramref name="oldGeneration"/> and INVALID, sees every node of
    /// <paramref name="dead"/> DISCONNECTED and every alive node active (with
    /// <paramref name="healthy"/>: all flags clear, as the tool's "OK").
    /// </summary>
    public bool IsStable(IReadOnlyCollection<int> alive, IReadOnlyCollection<int> dead, uint oldGeneration, bool healthy, out string state)
    {
        var views = new List<NodeView>();
        var problems = new List<string>();
        foreach (int pnn in alive)
        {
            var v = Look(pnn, out string error);
            if (v is null)
            {
                problems.Add(error);
                continue;
            }
            views.Add(v);
            if (v.Mode != RecoveryMode.Normal)
            {
                problems.Add($"node {pnn} in recovery");
            }
            foreach (int d in dead)
            {
                if ((v.FlagsOf(d) & NodeFlags.Disconnected) == 0)
                {
                    problems.Add($"node {pnn} sees node {d} connected");
                }
            }
            foreach (int a in alive)
            {
                uint f = v.FlagsOf(a);
                if (healthy ? f != 0 : (f & NodeFlags.Inactive) != 0)
                {
                    problems.Add($"node {pnn} sees node {a} with flags 0x{f:x}");
                }
            }
        }
        var generations = views.Select(v => v.Generation).Distinct().ToList();
        if (generations.Count > 1)
        {
            problems.Add("generations differ");
        }
        else if (generations.Count == 1 && (generations[0] == WireFormat.InvalidGeneration || generations[0] == oldGeneration))
        {
            problems.Add(generations[0] == oldGeneration ? "no new generation yet" : "generation INVALID");
        }
        state = string.Join("; ", views.Select(v => v.ToString()).Concat(problems));
        return problems.Count == 0;
    }

    /// <summary>A connection to the node, opened on first use and kept.</summary>
    public CtdbClient Client(int pnn)
    {
        if (!_clients.TryGetValue(pnn, out var c))
        {
            c = CtdbClient.Connect(_socketOf(pnn));
            c.Timeout = s_controlTimeout;
            _clients[pnn] = c;
        }
        return c;
    }

    /// <summary>Closes the connection to a node (after it died or to reconnect).</summary>
    public void Drop(int pnn)
    {
        if (_clients.Remove(pnn, out var c))
        {
            c.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var c in _clients.Values)
        {
            c.Dispose();
        }
        _clients.Clear();
    }
}
