// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>A one-shot timer of the <see cref="EventLoop"/>; cancel by calling <see cref="Cancel"/>.</summary>
internal sealed class LoopTimer
{
    internal LoopTimer(long due, Action callback)
    {
        Due = due;
        Callback = callback;
    }

    internal long Due { get; }
    internal Action Callback { get; }
    public bool Cancelled { get; private set; }

    public void Cancel() => Cancelled = true;
}
