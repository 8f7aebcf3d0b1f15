// SPDX-License-Identifier: GPL-3.0-or-later
using System.IO.Pipes;
using System.Text;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Agents.Tests;

public sealed class FileDescriptorWriterTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"fdwriter-{Guid.NewGuid():N}");

    public void Dispose() => File.Delete(_path);

    private string WriteThrough(Action<TextWriter> write)
    {
        using (var handle = File.OpenHandle(_path, FileMode.Create, FileAccess.Write))
        {
            using var writer = new FileDescriptorWriter((int)handle.DangerousGetHandle());
            write(writer);
        }
        return File.ReadAllText(_path, new UTF8Encoding(false, throwOnInvalidBytes: true));
    }

    [Fact]
    public void Every_overload_writes_utf8_without_a_byte_order_mark()
    {
        var text = WriteThrough(w =>
        {
            w.Write("Grüße ");
            w.Write('→');
            w.Write(" 漢字".AsSpan());
            w.Write("ab-cd-ef".ToCharArray(), 3, 2);
            w.WriteLine();
            w.WriteLine("line");
            w.WriteLine("span".AsSpan());
            w.WriteLine(42);
        });
        Assert.Equal("Grüße → 漢字cd\nline\nspan\n42\n", text);
        Assert.NotEqual(0xEF, File.ReadAllBytes(_path)[0]);
    }

    [Fact]
    public void Text_longer_than_any_earlier_one_is_written_whole()
    {
        var big = string.Concat(Enumerable.Repeat("0123456789abcdé", 20_000));
        var text = WriteThrough(w =>
        {
            w.Write("x");
            w.WriteLine(big);
            w.Write("y");
        });
        Assert.Equal("x" + big + "\ny", text);
    }

    [Fact]
    public void A_lone_surrogate_becomes_the_replacement_character()
    {
        Assert.Equal("a\uFFFDb", WriteThrough(w => w.Write("a\uD800b")));
    }

    [Fact]
    public void A_line_reaches_a_pipe_in_one_write()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.In);
        using var client = server.ClientSafePipeHandle;
        using var writer = new FileDescriptorWriter((int)client.DangerousGetHandle());
        writer.WriteLine("vip(ip1)[42]: INFO: one line");
        var buffer = new byte[256];
        var n = server.Read(buffer);
        Assert.Equal("vip(ip1)[42]: INFO: one line\n", Encoding.UTF8.GetString(buffer, 0, n));
    }

    [Fact]
    public void A_bad_descriptor_gives_an_io_exception_with_the_errno()
    {
        // Never a real descriptor: a closed one could be reused by a test running alongside.
        using var writer = new FileDescriptorWriter(-1);
        var e = Assert.Throws<IOException>(() => writer.WriteLine("lost"));
        Assert.Equal(Errno.EBADF, Assert.IsType<ErrnoException>(e.InnerException).Errno);
    }
}
