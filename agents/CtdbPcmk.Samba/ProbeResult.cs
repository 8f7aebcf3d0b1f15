// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>The outcome of one probe and a description for logs and exit reasons.</summary>
internal sealed record ProbeResult(ProbeOutcome Outcome, string Detail)
{
    public bool Answered => Outcome == ProbeOutcome.Answered;
}
