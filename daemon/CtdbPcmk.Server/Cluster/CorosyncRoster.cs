// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// Which daemons Corosync's membership holds, by PNN. Corosync knows nodes by its own node IDs,
/// so every daemon tells the group its PNN (an <see cref="Announcement"/>) when it joins and
/// whenever another member joins. A node whose Corosync left the membership (the other side of
/// a partition, a node powered off or cut off one way) is held off: this daemon keeps no link to
/// it, so the next recovery forms the generation without it, exactly as Pacemaker and the
/// quorum see the cluster, even while its packets still arrive over a link that works one way.
/// It may link again once its daemon announces itself in this node's membership. A member whose
/// daemon only ended is not held: its links close, and it announces itself when it is back.
/// Pure state, no I/O: <see cref="CorosyncMembership"/> feeds it.
/// </summary>
internal sealed class CorosyncRoster(uint pnn)
{
    /// <summary>"PNN1" in the first four bytes, then the sender's PNN, both little-endian.</summary>
    public const uint Magic = 0x314e4e50;

    public const int AnnouncementSize = 8;

    private readonly Dictionary<uint, uint> _pnnOfNode = new();
    private readonly HashSet<uint> _held = new();
    private readonly HashSet<uint> _members = new();

    /// <summary>A node held off and why, or let back (Reason null).</summary>
    public readonly record struct Change(uint Pnn, string? Reason);

    /// <summary>The nodes held off now.</summary>
    public IReadOnlyCollection<uint> Held => _held;

    /// <summary>
    /// True while the daemon of <paramref name="pnn"/> is in the group as this node's Corosync
    /// sees it: it announced itself, and Corosync has not reported it gone since.
    /// </summary>
    public bool HoldsDaemonOf(uint pnn) => _members.Contains(pnn);

    /// <summary>The group was joined anew (Corosync came back): members announce themselves again.</summary>
    public void Rejoined() => _members.Clear();

    /// <summary>What this daemon sends to the group.</summary>
    public byte[] Announcement()
    {
        var data = new byte[AnnouncementSize];
        BinaryPrimitives.WriteUInt32LittleEndian(data, Magic);
        BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(4), pnn);
        return data;
    }

    /// <summary>
    /// A message of the group from Corosync node <paramref name="nodeId"/>: an announcement maps
    /// that node to its PNN and lets the PNN link again. Anything else is ignored (null).
    /// </summary>
    public Change? Delivered(uint nodeId, ReadOnlySpan<byte> message)
    {
        if (message.Length != AnnouncementSize || BinaryPrimitives.ReadUInt32LittleEndian(message) != Magic)
        {
            return null;
        }
        uint sender = BinaryPrimitives.ReadUInt32LittleEndian(message[4..]);
        _pnnOfNode[nodeId] = sender;
        _members.Add(sender);
        return sender != pnn && _held.Remove(sender) ? new Change(sender, null) : null;
    }

    /// <summary>A member left the group: a node Corosync lost from the membership is held off.</summary>
    public Change? Left(uint nodeId, bool nodeDown)
    {
        if (!_pnnOfNode.TryGetValue(nodeId, out uint lost))
        {
            return null;
        }
        _members.Remove(lost);
        if (!nodeDown || lost == pnn || !_held.Add(lost))
        {
            return null;
        }
        return new Change(lost, $"corosync left its node (corosync node {nodeId}) out of this node's membership");
    }
}
