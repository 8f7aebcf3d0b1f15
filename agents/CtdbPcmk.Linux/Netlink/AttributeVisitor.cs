// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux.Netlink;

/// <summary>Receives one netlink attribute: its type and payload.</summary>
public delegate void AttributeVisitor(ushort type, ReadOnlySpan<byte> payload);
