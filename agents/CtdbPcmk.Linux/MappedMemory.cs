// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>
/// A block of anonymous memory mapped for itself, outside the managed heap: its pages are
/// touched only as they are written, and disposing it gives them back to the system at once
/// (munmap), where a large array would be garbage until the next full collection and its
/// memory kept by the collector after that. For the daemon's buffers of megabytes.
/// </summary>
public sealed unsafe class MappedMemory : MemoryManager<byte>
{
    private readonly MappingHandle _mapping;

    public MappedMemory(int length)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 1);
        nint address = Interop.Libc.mmap(0, (nuint)length, Interop.Libc.PROT_READ | Interop.Libc.PROT_WRITE,
            Interop.Libc.MAP_PRIVATE | Interop.Libc.MAP_ANONYMOUS, -1, 0);
        if (address == Interop.Libc.MAP_FAILED)
        {
            throw LastError.AsIOException($"mmap of {length} bytes");
        }
        _mapping = new MappingHandle(address, length);
        Length = length;
    }

    public int Length { get; }

    public override Span<byte> GetSpan()
    {
        ObjectDisposedException.ThrowIf(_mapping.IsClosed, this);
        return new Span<byte>((void*)_mapping.DangerousGetHandle(), Length);
    }

    public override MemoryHandle Pin(int elementIndex = 0) =>
        new((byte*)_mapping.DangerousGetHandle() + elementIndex);

    public override void Unpin()
    {
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _mapping.Dispose();
        }
    }

    private sealed class MappingHandle : SafeHandle
    {
        private readonly nuint _length;

        public MappingHandle(nint address, int length)
            : base(0, ownsHandle: true)
        {
            _length = (nuint)length;
            SetHandle(address);
        }

        public override bool IsInvalid => handle == 0;

        protected override bool ReleaseHandle() => Interop.Libc.munmap(handle, _length) == 0;
    }
}
