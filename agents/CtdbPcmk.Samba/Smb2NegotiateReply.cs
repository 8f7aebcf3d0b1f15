// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Samba;

/// <summary>What an SMB2 NEGOTIATE response says: the NTSTATUS and, on success, the chosen dialect.</summary>
internal readonly record struct Smb2NegotiateReply(uint Status, ushort Dialect)
{
    public bool IsSuccess => Status == 0;

    /// <summary>The dialect as Samba and Windows write it ("3.0.2"), or the status in hex.</summary>
    public string Describe() => IsSuccess
        ? Dialect switch
        {
            0x0202 => "SMB 2.0.2",
            0x0210 => "SMB 2.1",
            0x0300 => "SMB 3.0",
            0x0302 => "SMB 3.0.2",
            0x0311 => "SMB 3.1.1",
            _ => $"dialect 0x{Dialect:x4}",
        }
        : $"NTSTATUS 0x{Status:x8}";
}
