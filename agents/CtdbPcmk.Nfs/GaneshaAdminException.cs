// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Nfs;

/// <summary>NFS-Ganesha's admin interface could not be reached, or refused a call.</summary>
public sealed class GaneshaAdminException : Exception
{
    public GaneshaAdminException()
    {
    }

    public GaneshaAdminException(string message)
        : base(message)
    {
    }

    public GaneshaAdminException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
