// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Recovery;

/// <summary>A database a recovery covers: its id, kind flags, name and the nodes that have it attached.</summary>
internal sealed class RecoveryDatabase(uint id, byte flags)
{
    public uint Id { get; } = id;
    public byte Flags { get; } = flags;
    public string Name { get; set; } = "";
    public HashSet<uint> Holders { get; } = new();
    public bool IsVolatile => (Flags & (Protocol.DbFlags.Persistent | Protocol.DbFlags.Replicated)) == 0;
}
