// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;

namespace CtdbPcmk.Protocol;

/// <summary>
/// NUL-terminated strings whose length is implied by the surrounding datalen (DB_ATTACH name,
/// GETDBPATH / GET_DBNAME / DB_GET_HEALTH replies, RELEASE_IP message). Always sent with the NUL.
/// </summary>
public static class CString
{
    public static int GetEncodedSize(string value) => Encoding.UTF8.GetByteCount(value) + 1;

    /// <summary>The string plus its terminating NUL.</summary>
    public static byte[] Encode(string value)
    {
        var bytes = new byte[GetEncodedSize(value)];
        Write(bytes, value);
        return bytes;
    }

    public static int Write(Span<byte> buffer, string value)
    {
        int n = Encoding.UTF8.GetBytes(value, buffer);
        buffer[n] = 0;
        return n + 1;
    }

    /// <summary>Text up to the first NUL, or the whole span when there is none.</summary>
    public static string Decode(ReadOnlySpan<byte> data)
    {
        int nul = data.IndexOf((byte)0);
        return Encoding.UTF8.GetString(nul < 0 ? data : data[..nul]);
    }

    /// <summary>
    /// Strict form for inputs that must be exactly one terminated string (e.g. a DB_ATTACH
    /// name): the last byte must be the only NUL.
    /// </summary>
    public static string DecodeTerminated(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || data[^1] != 0)
        {
            ProtocolException.Throw("string is not NUL-terminated");
        }
        if (data[..^1].IndexOf((byte)0) >= 0)
        {
            ProtocolException.Throw("string contains an embedded NUL");
        }
        return Encoding.UTF8.GetString(data[..^1]);
    }
}
