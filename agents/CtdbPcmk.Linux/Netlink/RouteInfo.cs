// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Linux.Netlink;

/// <summary>One unicast route of the main table.</summary>
/// <param name="Destination">Destination network address.</param>
/// <param name="PrefixLength">Destination prefix length (0 for a default route).</param>
/// <param name="OutputIndex">Output interface index (0 when none, e.g. multipath).</param>
/// <param name="Metric">Route priority (lower wins).</param>
/// <param name="Scope">RT_SCOPE_* (253 = link).</param>
public sealed record RouteInfo(IPAddress Destination, int PrefixLength, int OutputIndex, uint Metric, byte Scope);
