// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Protocol;

/// <summary>
/// ctdb_connection (56 bytes): source then destination ctdb_sock_addr. For TCP_CLIENT smbd
/// puts the SMB client in <see cref="Source"/> and the server address in <see cref="Destination"/>.
/// </summary>
public sealed record CtdbConnection(IPEndPoint Source, IPEndPoint Destination)
{
    public const int Size = 2 * SockAddr.Size;

    public int Write(Span<byte> buffer)
    {
        SockAddr.Write(buffer, Source);
        SockAddr.Write(buffer[SockAddr.Size..], Destination);
        return Size;
    }

    public static CtdbConnection Read(ReadOnlySpan<byte> data)
    {
        Wire.Require(data, Size, "ctdb_connection");
        return new CtdbConnection(SockAddr.Read(data), SockAddr.Read(data[SockAddr.Size..]));
    }
}
