// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Samba;

/// <summary>
/// The winbindd client protocol as far as WINBINDD_PING needs it: a fixed-size request struct
/// whose first field is its own size, and a fixed-size response struct (plus extra data the
/// length field announces). The sizes and offsets are those of struct winbindd_request and
/// struct winbindd_response in nsswitch/winbind_struct_protocol.h of Samba 4.17 on x86_64
/// (measured with sizeof/offsetof): winbindd drops a client whose request length field is not
/// exactly sizeof(struct winbindd_request). Host byte order, as the structs are sent raw.
/// </summary>
internal static class WinbindProtocol
{
    /// <summary>The socket's file name in the winbindd socket directory.</summary>
    public const string SocketName = "pipe";

    /// <summary>sizeof(struct winbindd_request).</summary>
    public const int RequestSize = 2136;

    /// <summary>sizeof(struct winbindd_response).</summary>
    public const int ResponseSize = 4008;

    public const int RequestLengthOffset = 0;
    public const int RequestCmdOffset = 4;
    public const int RequestOriginalCmdOffset = 8;
    public const int RequestPidOffset = 12;

    public const int ResponseLengthOffset = 0;
    public const int ResponseResultOffset = 4;

    /// <summary>enum winbindd_cmd: WINBINDD_PING.</summary>
    public const uint CmdPing = 32;

    /// <summary>enum winbindd_result: WINBINDD_OK (ERROR is 0, PENDING 1).</summary>
    public const uint ResultOk = 2;

    /// <summary>The largest response accepted (header plus extra data; a ping has none).</summary>
    public const int MaxResponseSize = ResponseSize + (64 * 1024);

    /// <summary>Writes a WINBINDD_PING request of <see cref="RequestSize"/> bytes.</summary>
    public static void WritePing(Span<byte> buffer, int pid)
    {
        var request = buffer[..RequestSize];
        request.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(request[RequestLengthOffset..], RequestSize);
        BinaryPrimitives.WriteUInt32LittleEndian(request[RequestCmdOffset..], CmdPing);
        BinaryPrimitives.WriteInt32LittleEndian(request[RequestPidOffset..], pid);
    }

    /// <summary>
    /// Reads the response header: the total length (response struct plus extra data) and the
    /// result; <see cref="InvalidDataException"/> for a length no response can have.
    /// </summary>
    public static (int Length, uint Result) ReadResponseHeader(ReadOnlySpan<byte> header)
    {
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[ResponseLengthOffset..]);
        if (length < ResponseSize || length > MaxResponseSize)
        {
            throw new InvalidDataException($"winbindd response length {length} (expected at least {ResponseSize})");
        }
        return ((int)length, BinaryPrimitives.ReadUInt32LittleEndian(header[ResponseResultOffset..]));
    }
}
