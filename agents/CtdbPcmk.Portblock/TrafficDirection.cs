// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Portblock;

/// <summary>
/// Which traffic a rule drops: In = packets to the address and ports (input hook), Out = packets
/// from the address and ports (output hook). The direction parameter "both" means both rules.
/// </summary>
internal enum TrafficDirection
{
    In,
    Out,
}
