// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>Helpers for the kernel structs of <see cref="Interop"/>, which are in host layout and byte order.</summary>
internal static class HostLayout
{
    /// <summary>The bytes of a struct as the kernel reads them.</summary>
    public static ReadOnlySpan<byte> AsBytes<T>(in T value)
        where T : unmanaged => MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in value));

    /// <summary>Swaps a 16-bit value between host and network order (the same swap both ways).</summary>
    public static ushort NetworkOrder(ushort value) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;
}
