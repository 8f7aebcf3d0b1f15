// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Packets;

/// <summary>TCP header flag bits (RFC 9293), as they appear in the 14th header byte.</summary>
[Flags]
public enum TcpControlBits : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
}
