// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Calls;

/// <summary>A routing decision: the action and the node the resulting packet goes to.</summary>
internal readonly record struct CallRoute(CallAction Action, uint DestNode);
