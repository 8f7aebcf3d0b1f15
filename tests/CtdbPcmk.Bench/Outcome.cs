// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench;

/// <summary>What one benchmark produced for one daemon: statistics, or the reason there are none.</summary>
internal sealed record Outcome(LatencyStats? Stats, string? Error);
