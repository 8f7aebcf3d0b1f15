// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Server.Cluster;

/// <summary>
/// Leadership terms. The role is given by an administrator (Pacemaker promote), never elected;
/// terms make sure that a node that was leader cannot act once another node has taken over:
/// every node accepts one leader per term, a higher term replaces a lower one, and recovery
/// controls carry the sender's term (<see cref="TagOf"/>) so that a node refuses those of any
/// term but its accepted one.
/// </summary>
internal sealed class Leadership
{
    /// <summary>High bits of the srvid of recovery controls sent by this product's leaders; the low 32 bits are the term.</summary>
    public const ulong RecoveryTag = 0x4350_7265_0000_0000;

    private readonly uint _pnn;

    public Leadership(uint pnn) => _pnn = pnn;

    /// <summary>The term this node has accepted (0: none yet).</summary>
    public uint Term { get; private set; }

    /// <summary>The leader of <see cref="Term"/>, or <see cref="WireFormat.UnknownPnn"/>.</summary>
    public uint Leader { get; private set; } = WireFormat.UnknownPnn;

    /// <summary>Highest term seen anywhere (claims and refusals); a new claim goes above it.</summary>
    public uint HighestSeen { get; private set; }

    /// <summary>The administrator gave this node the role and no newer leader has taken it since.</summary>
    public bool Wanted { get; private set; }

    /// <summary>This node holds the role for the term it accepted.</summary>
    public bool IsLeader => Wanted && Leader == _pnn;

    /// <summary>Takes the role: a term above every term seen, accepted here at once. Returns the term to claim.</summary>
    public uint Take()
    {
        Wanted = true;
        return Raise();
    }

    /// <summary>A claim was refused by a node that knows <paramref name="term"/>: the next claim goes above it.</summary>
    public void Seen(uint term) => HighestSeen = Math.Max(HighestSeen, term);

    /// <summary>Claims again above everything seen (after a refusal); only while the role is wanted.</summary>
    public uint Raise()
    {
        uint term = Math.Max(HighestSeen, Term) + 1;
        HighestSeen = term;
        Term = term;
        Leader = _pnn;
        return term;
    }

    /// <summary>Gives the role up. The term stays: another node must claim a higher one.</summary>
    public void Release() => Wanted = false;

    /// <summary>
    /// A claim of <paramref name="term"/> by <paramref name="leader"/>: accepted when the term is
    /// higher than the accepted one, or the same term from the same leader. Accepting another
    /// node's claim ends this node's own role.
    /// </summary>
    public bool Consider(uint term, uint leader)
    {
        HighestSeen = Math.Max(HighestSeen, term);
        if (term < Term || (term == Term && leader != Leader))
        {
            return false;
        }
        Term = term;
        Leader = leader;
        if (leader != _pnn)
        {
            Wanted = false;
        }
        return true;
    }

    /// <summary>True when a control tagged <paramref name="srvid"/> from <paramref name="srcNode"/> comes from the accepted leader in its term.</summary>
    public bool IsFromLeader(uint srcNode, ulong srvid) =>
        Leader != WireFormat.UnknownPnn && srcNode == Leader && srvid == TagOf(Term);

    public static ulong TagOf(uint term) => RecoveryTag | term;
}
