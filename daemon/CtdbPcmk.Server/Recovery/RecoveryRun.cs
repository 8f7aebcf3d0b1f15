// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Recovery;

/// <summary>One recovery the leader runs; abandoned (<see cref="Aborted"/>) when it is superseded.</summary>
internal sealed class RecoveryRun(uint id, uint term)
{
    public uint Id { get; } = id;
    public uint Term { get; } = term;
    public bool Aborted { get; set; }
    public string? AbortReason { get; set; }
    public long Started { get; init; }
}
