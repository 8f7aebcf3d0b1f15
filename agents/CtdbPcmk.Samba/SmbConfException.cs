// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>An smb.conf that cannot be read or parsed; the message names the file and line.</summary>
internal sealed class SmbConfException : Exception
{
    public SmbConfException(string message)
        : base(message)
    {
    }

    public SmbConfException(string file, int line, string message)
        : base($"{file}:{line}: {message}")
    {
    }
}
