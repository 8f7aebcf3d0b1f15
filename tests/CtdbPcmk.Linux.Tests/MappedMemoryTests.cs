// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux.Tests;

public sealed class MappedMemoryTests
{
    private static long RssAnonKb() =>
        long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    [Fact]
    public void Memory_is_touched_only_as_written_and_given_back_at_once_when_disposed()
    {
        const int Size = 64 * 1024 * 1024;
        long before = RssAnonKb();
        var mapped = new MappedMemory(Size);
        Assert.Equal(Size, mapped.Length);
        Assert.Equal(Size, mapped.Memory.Length);
        // Mapped but untouched: no resident memory yet.
        Assert.True(RssAnonKb() - before < 16 * 1024, "mapping alone made memory resident");

        var span = mapped.GetSpan();
        span.Fill(0x5A);
        Assert.Equal(0x5A, mapped.Memory.Span[Size - 1]);
        Assert.True(RssAnonKb() - before > 60 * 1024, "written pages are not resident");

        ((IDisposable)mapped).Dispose();
        Assert.True(RssAnonKb() - before < 16 * 1024, "memory not given back on dispose");
        Assert.Throws<ObjectDisposedException>(() => mapped.GetSpan());
    }

    [Fact]
    public void A_length_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MappedMemory(0));
}
