// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Portblock;

/// <summary>One entry of a port list: a single port (First == Last) or an inclusive range.</summary>
internal readonly record struct PortRange(int First, int Last)
{
    public bool Contains(int port) => port >= First && port <= Last;
}
