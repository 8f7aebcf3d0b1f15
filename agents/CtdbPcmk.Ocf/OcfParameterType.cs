// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ocf;

// The members are the type names of the OCF metadata schema.
#pragma warning disable CA1720

/// <summary>The content type of a parameter as written in the metadata.</summary>
public enum OcfParameterType
{
    /// <summary><c>type="string"</c></summary>
    String,
    /// <summary><c>type="integer"</c></summary>
    Integer,
    /// <summary><c>type="boolean"</c></summary>
    Boolean,
}
