// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench;

/// <summary>One measured round: per-operation latencies of all clients and the aggregate rate.</summary>
internal sealed record PhaseResult(long[] LatencyTicks, double OpsPerSecond, bool HitTimeCap);
