// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ocf;

/// <summary>
/// Ends the current action with a specific OCF exit code and a human-readable reason, which the
/// runtime writes as an <c>ocf-exit-reason:</c> line.
/// </summary>
public sealed class OcfException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OcfException(OcfExitCode code, string reason)
        : base(reason)
    {
        Code = code;
    }

    /// <summary>Creates the exception with the failure that caused it.</summary>
    public OcfException(OcfExitCode code, string reason, Exception inner)
        : base(reason, inner)
    {
        Code = code;
    }

    /// <summary>The exit code the action ends with.</summary>
    public OcfExitCode Code { get; }

    /// <summary>Shorthand for an error in the configured parameters.</summary>
    public static OcfException Configured(string reason) => new(OcfExitCode.ErrConfigured, reason);

    /// <summary>Shorthand for a missing program or kernel facility on this host.</summary>
    public static OcfException Installed(string reason) => new(OcfExitCode.ErrInstalled, reason);

    /// <summary>Shorthand for insufficient privileges.</summary>
    public static OcfException Perm(string reason) => new(OcfExitCode.ErrPerm, reason);

    /// <summary>Shorthand for a generic failure.</summary>
    public static OcfException Generic(string reason) => new(OcfExitCode.ErrGeneric, reason);
}
