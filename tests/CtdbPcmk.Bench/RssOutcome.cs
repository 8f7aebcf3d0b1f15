// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench;

/// <summary>Idle memory of one daemon with the 25 databases attached (MB = 10^6 bytes).</summary>
internal sealed record RssOutcome(int Pid, double MainMB, double TreeMB, int TreeProcesses, string? Error)
{
    public static RssOutcome Failed(string error) => new(0, 0, 0, 0, error);
}
