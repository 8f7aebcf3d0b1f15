// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Linux;

/// <summary>
/// One TCP socket as reported by sock_diag. <see cref="Local"/> and <see cref="Remote"/> are
/// normalised (IPv4-mapped IPv6 shown as IPv4); <see cref="Family"/>, <see cref="InterfaceIndex"/>
/// and <see cref="Cookie"/> identify the kernel socket exactly, for SOCK_DESTROY.
/// </summary>
public readonly record struct TcpSocketEntry(IPEndPoint Local, IPEndPoint Remote, int Family, uint InterfaceIndex, ulong Cookie);
