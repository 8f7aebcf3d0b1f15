// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>
/// The keys of a node key file: the first is the one this node proves with on the links it
/// opens; every key is accepted from a peer. Two keys exist only while a new key is being
/// rolled out.
/// </summary>
internal sealed class NodeKeySet
{
    public const int MaximumKeys = 2;

    public NodeKeySet(IReadOnlyList<NodeKey> keys)
    {
        if (keys.Count is 0 or > MaximumKeys)
        {
            throw new ArgumentException($"a node key set holds 1 to {MaximumKeys} keys", nameof(keys));
        }
        Keys = keys;
    }

    public IReadOnlyList<NodeKey> Keys { get; }

    /// <summary>The key this node signs and proves with.</summary>
    public NodeKey Primary => Keys[0];

    /// <summary>The accepted key with this id, or null.</summary>
    public NodeKey? Find(ulong id)
    {
        foreach (var key in Keys)
        {
            if (key.Id == id)
            {
                return key;
            }
        }
        return null;
    }

    public override string ToString() => string.Join(", ", Keys);
}
