// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// Bounds on the output queued to a peer that does not read. Above <see cref="Pause"/> bytes
/// its input is not read (its requests wait, so their replies stop piling up) until the queue
/// is down to half of it; at <see cref="Maximum"/> bytes (what others send it) it is closed.
/// 0 means no bound.
/// </summary>
internal readonly record struct OutputLimits(long Pause, long Maximum)
{
    public static OutputLimits None => default;
}
