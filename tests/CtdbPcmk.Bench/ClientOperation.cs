// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench;

/// <summary>The repeated operation of one benchmark client, bound to its own connection.</summary>
internal abstract class ClientOperation
{
    protected ClientOperation(CtdbClient client) => Client = client;

    protected CtdbClient Client { get; }

    /// <summary>One operation; throws if the daemon's answer is wrong, so failures are never timed as successes.</summary>
    public abstract void Execute();

    /// <summary>Checks after the run that the operations had their effect.</summary>
    public virtual void Verify() { }
}
