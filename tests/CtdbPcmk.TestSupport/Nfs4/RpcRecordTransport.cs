// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.TestSupport.Nfs4;

/// <summary>
/// ONC RPC record marking over a byte stream (RFC 5531 section 11): each fragment is preceded by
/// a 4-byte big-endian header whose top bit marks the last fragment of a record and whose low 31
/// bits are the fragment's length. Records are written as one fragment.
/// </summary>
public sealed class RpcRecordTransport
{
    public const uint LastFragment = 0x8000_0000;

    /// <summary>Largest record accepted from the peer.</summary>
    public const int MaxRecord = 4 << 20;

    private readonly Stream _stream;

    public RpcRecordTransport(Stream stream) => _stream = stream;

    /// <summary>The fragment header for a last fragment of <paramref name="length"/> bytes.</summary>
    public static uint Header(int length) => LastFragment | (uint)length;

    public void WriteRecord(ReadOnlySpan<byte> record)
    {
        var frame = new byte[4 + record.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, Header(record.Length));
        record.CopyTo(frame.AsSpan(4));
        _stream.Write(frame);
        _stream.Flush();
    }

    /// <summary>Reads one whole record, joining its fragments.</summary>
    public byte[] ReadRecord()
    {
        using var record = new MemoryStream();
        Span<byte> header = stackalloc byte[4];
        while (true)
        {
            _stream.ReadExactly(header);
            uint word = BinaryPrimitives.ReadUInt32BigEndian(header);
            int length = (int)(word & ~LastFragment);
            if (record.Length + length > MaxRecord)
            {
                throw new InvalidDataException($"RPC record longer than {MaxRecord} bytes");
            }
            var fragment = new byte[length];
            _stream.ReadExactly(fragment);
            record.Write(fragment);
            if ((word & LastFragment) != 0)
            {
                return record.ToArray();
            }
        }
    }
}
