// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>An SMB reply that is not what the protocol allows.</summary>
internal sealed class Smb2ProtocolException : Exception
{
    public Smb2ProtocolException(string message)
        : base(message)
    {
    }
}
