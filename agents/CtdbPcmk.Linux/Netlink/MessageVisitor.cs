// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux.Netlink;

/// <summary>Receives one netlink message of a dump: its type and the bytes after nlmsghdr.</summary>
public delegate void MessageVisitor(ushort type, ReadOnlySpan<byte> body);
