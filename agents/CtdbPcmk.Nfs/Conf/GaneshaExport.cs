// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Nfs.Conf;

/// <summary>One EXPORT block as the agent needs it.</summary>
/// <param name="Id">Export_Id.</param>
/// <param name="Path">The exported directory.</param>
/// <param name="Pseudo">Its NFSv4 pseudo path, or null when it has none (not reachable by NFSv4).</param>
/// <param name="Fsal">The FSAL's Name.</param>
/// <param name="Line">Where the block starts.</param>
public sealed record GaneshaExport(int Id, string Path, string? Pseudo, string Fsal, string File, int Line);
