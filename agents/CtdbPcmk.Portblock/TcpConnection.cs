// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Portblock;

/// <summary>One recorded client connection: the server end (on the protected address) and the client end.</summary>
internal readonly record struct TcpConnection(IPEndPoint Server, IPEndPoint Client);
