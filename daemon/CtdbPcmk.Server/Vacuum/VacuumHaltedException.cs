// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Vacuum;

/// <summary>A vacuum run stopped because a recovery started or its database was frozen.</summary>
internal sealed class VacuumHaltedException : Exception
{
    public VacuumHaltedException()
        : base("vacuum run halted by recovery or freeze")
    {
    }
}
