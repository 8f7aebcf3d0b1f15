// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux.Netlink;

namespace CtdbPcmk.Vip;

/// <summary>Where the address goes: interface, prefix length, and a broadcast copied from a sibling address.</summary>
internal sealed record Placement(LinkInfo Link, int PrefixLength, IPAddress? SiblingBroadcast);
