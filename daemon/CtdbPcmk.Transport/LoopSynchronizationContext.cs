// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Transport;

/// <summary>
/// Runs continuations of <c>await</c> on the daemon's loop thread, always through the loop's
/// queue: a step of a recovery never runs inside the callback that completed the previous one.
/// </summary>
internal sealed class LoopSynchronizationContext(EventLoop loop) : SynchronizationContext
{
    public override void Post(SendOrPostCallback d, object? state) => loop.Post(() => d(state));

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("the loop thread never waits for itself");

    public override SynchronizationContext CreateCopy() => this;
}
