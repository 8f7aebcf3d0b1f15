// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>Output held back until the <see cref="EventLoop"/> has handled the events of one wakeup.</summary>
internal interface IDeferredFlush
{
    /// <summary>Called once on the loop thread after the wakeup that asked for it.</summary>
    void FlushDeferred();
}
