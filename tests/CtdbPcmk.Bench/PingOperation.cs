// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;

namespace CtdbPcmk.Bench;

/// <summary>PING control round trip to the connected daemon.</summary>
internal sealed class PingOperation : ClientOperation
{
    public PingOperation(CtdbClient client) : base(client) { }

    public override void Execute()
    {
        int status = Client.PingRaw();
        if (status < 1)
        {
            // The status counts connected clients, so at least this one.
            throw new InvalidOperationException($"PING answered status {status}");
        }
    }
}
