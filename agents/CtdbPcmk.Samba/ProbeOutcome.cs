// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>How a daemon answered a probe.</summary>
internal enum ProbeOutcome
{
    /// <summary>Nothing listens (connection refused, or no socket file).</summary>
    NotListening,
    /// <summary>Connected, but no valid answer in time.</summary>
    NotAnswering,
    /// <summary>A valid answer.</summary>
    Answered,
}
