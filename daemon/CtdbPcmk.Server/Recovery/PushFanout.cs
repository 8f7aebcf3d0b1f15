// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Recovery;

/// <summary>
/// Hands the buffers of one push to several nodes, each at its own pace: a buffer is made when
/// the first node asks for it and dropped once the last has taken it.
/// </summary>
internal sealed class PushFanout(PushBuffers push, int nodes)
{
    private readonly List<byte[]?> _made = new();
    private readonly int[] _next = new int[nodes];
    private int _dropped;

    /// <summary>The next buffer for node slot <paramref name="node"/> (0 to nodes - 1).</summary>
    public byte[] Next(int node)
    {
        int index = _next[node]++;
        while (_made.Count <= index)
        {
            _made.Add(push.Next());
        }
        var buffer = _made[index] ?? throw new InvalidOperationException($"push buffer {index} was dropped before node slot {node} took it");
        for (int slowest = _next.Min(); _dropped < slowest; _dropped++)
        {
            _made[_dropped] = null;
        }
        return buffer;
    }
}
