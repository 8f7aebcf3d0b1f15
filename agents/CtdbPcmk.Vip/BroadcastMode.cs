// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Vip;

/// <summary>How the IPv4 broadcast address is chosen.</summary>
internal enum BroadcastMode
{
    /// <summary>Empty parameter: copy from an address in the same subnet, else derive.</summary>
    Auto,
    /// <summary>"+": host bits set.</summary>
    Derive,
    /// <summary>"-": no broadcast address.</summary>
    None,
    /// <summary>An explicit address.</summary>
    Explicit,
}
