// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux.Tests;

/// <summary>One field: the managed name, the C member (an offsetof designator) and the offset.</summary>
internal sealed record CField(string Managed, string C, int Offset)
{
    /// <summary>A field whose managed and C names are the same.</summary>
    public CField(string name, int offset)
        : this(name, name, offset)
    {
    }
}
