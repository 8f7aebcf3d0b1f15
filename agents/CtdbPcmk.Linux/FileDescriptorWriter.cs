// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace CtdbPcmk.Linux;

/// <summary>
/// A text writer straight onto a file descriptor it does not own (an agent's stdout or stderr):
/// UTF-8 without a byte order mark, nothing buffered, and each <c>Write</c> or <c>WriteLine</c>
/// call one write(2) of the whole text (newline included), so a log line is never split
/// between two writes. Built for start-up cost: no stream, no encoder state, one byte buffer
/// grown to the longest text written. Having no encoder state, it encodes each call on its own:
/// a surrogate pair split across two calls comes out as two replacement characters.
/// </summary>
public sealed class FileDescriptorWriter : TextWriter
{
    private static readonly UTF8Encoding s_utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly int _fd;
    private byte[] _buffer = [];

    /// <summary>Writes to <paramref name="fd"/>, which stays open when the writer is disposed.</summary>
    public FileDescriptorWriter(int fd)
        : base(CultureInfo.InvariantCulture)
    {
        _fd = fd;
        CoreNewLine = ['\n'];
    }

    /// <inheritdoc/>
    public override Encoding Encoding => s_utf8;

    /// <inheritdoc/>
    public override void Write(char value) => Emit(new ReadOnlySpan<char>(in value), newline: false);

    /// <inheritdoc/>
    public override void Write(string? value) => Emit(value, newline: false);

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Emit(buffer.AsSpan(index, count), newline: false);

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<char> buffer) => Emit(buffer, newline: false);

    /// <inheritdoc/>
    public override void WriteLine() => Emit([], newline: true);

    /// <inheritdoc/>
    public override void WriteLine(string? value) => Emit(value, newline: true);

    /// <inheritdoc/>
    public override void WriteLine(ReadOnlySpan<char> buffer) => Emit(buffer, newline: true);

    private void Emit(ReadOnlySpan<char> text, bool newline)
    {
        var needed = s_utf8.GetMaxByteCount(text.Length) + 1;
        if (_buffer.Length < needed)
        {
            _buffer = new byte[needed];
        }
        var length = s_utf8.GetBytes(text, _buffer);
        if (newline)
        {
            _buffer[length++] = (byte)'\n';
        }
        WriteAll(_buffer.AsSpan(0, length));
    }

    private unsafe void WriteAll(ReadOnlySpan<byte> bytes)
    {
        fixed (byte* start = bytes)
        {
            var done = 0;
            while (done < bytes.Length)
            {
                var n = Interop.Libc.write(_fd, start + done, bytes.Length - done);
                if (n >= 0)
                {
                    done += (int)n;
                    continue;
                }
                var errno = Marshal.GetLastPInvokeError();
                if (errno != (int)Errno.EINTR)
                {
                    throw new IOException($"write to file descriptor {_fd} failed", new ErrnoException("write", errno));
                }
            }
        }
    }
}
