// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench.Conntrack;

/// <summary>One goal of the issue: the figure measured, the goal, their ratio (figure ÷ goal) and the verdict.</summary>
internal sealed record GoalRow(string Goal, string Figure, string Target, double? Ratio, string Verdict);
