// SPDX-License-Identifier: GPL-3.0-or-later
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux.Tests;

/// <summary>
/// The managed mirrors have the x86_64 sizes and offsets of <see cref="Layouts"/>, are blittable
/// (what MemoryMarshal reads is what the marshaller would pass), and every field is accounted for.
/// </summary>
public sealed class LayoutTests
{
    public static TheoryData<string> Structs => new(Layouts.All.Select(l => l.CType));

    [Theory]
    [MemberData(nameof(Structs))]
    public void SizeIsTheKernels(string cType)
    {
        var layout = Find(cType);
        Assert.Equal(layout.Size, ManagedSize(layout.Managed));
        Assert.Equal(layout.Size, Marshal.SizeOf(layout.Managed));
    }

    [Theory]
    [MemberData(nameof(Structs))]
    public void FieldOffsetsAreTheKernels(string cType)
    {
        var layout = Find(cType);
        foreach (var field in layout.Fields)
        {
            Assert.True(field.Offset == (int)Marshal.OffsetOf(layout.Managed, field.Managed),
                $"{cType}.{field.C}: offset {Marshal.OffsetOf(layout.Managed, field.Managed)}, expected {field.Offset}");
        }
    }

    [Theory]
    [MemberData(nameof(Structs))]
    public void EveryFieldIsChecked(string cType)
    {
        var layout = Find(cType);
        var declared = layout.Managed.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Select(f => f.Name).Order(StringComparer.Ordinal);
        Assert.Equal(declared, layout.Fields.Select(f => f.Managed).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Structs))]
    public void IsBlittable(string cType)
    {
        var layout = Find(cType);
        var containsReferences = (bool)typeof(RuntimeHelpers).GetMethod(nameof(RuntimeHelpers.IsReferenceOrContainsReferences))!
            .MakeGenericMethod(layout.Managed).Invoke(null, null)!;
        Assert.False(containsReferences);
        Assert.True(layout.Managed.IsExplicitLayout, $"{cType} should pin its offsets with FieldOffset");
    }

    [Fact]
    public void EveryStructOfTheLibraryIsListed()
    {
        // A struct added to Interop without a layout entry fails here.
        var interop = typeof(SafeFdHandle).Assembly.GetType("CtdbPcmk.Linux.Interop", throwOnError: true)!;
        var structs = interop.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public)
            .SelectMany(c => c.GetNestedTypes(BindingFlags.NonPublic | BindingFlags.Public))
            .Where(t => t.IsValueType && !t.Name.Contains('<', StringComparison.Ordinal))
            .Select(t => t.FullName!).Order(StringComparer.Ordinal);
        Assert.Equal(structs, Layouts.All.Select(l => l.Managed.FullName!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void NetlinkHeaderReadsAsTheKernelWritesIt()
    {
        // An NLMSG_DONE of 20 bytes, sequence 7, port 42, as bytes in x86_64 order.
        byte[] message = [20, 0, 0, 0, 3, 0, 2, 0, 7, 0, 0, 0, 42, 0, 0, 0, 0, 0, 0, 0];
        var header = MemoryMarshal.Read<Interop.Netlink.NlMsgHdr>(message);
        Assert.Equal(20u, header.nlmsg_len);
        Assert.Equal((ushort)3, header.nlmsg_type);
        Assert.Equal((ushort)2, header.nlmsg_flags);
        Assert.Equal(7u, header.nlmsg_seq);
        Assert.Equal(42u, header.nlmsg_pid);
    }

    [Fact]
    public void EpollEventIsPacked()
    {
        var e = new Interop.Libc.epoll_event { events = 0x11223344, data = 0x0102030405060708 };
        byte[] bytes = MemoryMarshal.AsBytes(new ReadOnlySpan<Interop.Libc.epoll_event>(in e)).ToArray();
        Assert.Equal(new byte[] { 0x44, 0x33, 0x22, 0x11, 8, 7, 6, 5, 4, 3, 2, 1 }, bytes);
    }

    private static CStruct Find(string cType) => Layouts.All.Single(l => l.CType == cType);

    private static int ManagedSize(Type type) =>
        (int)typeof(Unsafe).GetMethod(nameof(Unsafe.SizeOf))!.MakeGenericMethod(type).Invoke(null, null)!;
}
