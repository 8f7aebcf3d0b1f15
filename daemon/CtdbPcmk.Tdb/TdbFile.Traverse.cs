// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Tdb;

public sealed partial class TdbFile
{
    /// <summary>
    /// Called for each record; the spans point into libtdb's memory and are valid only during the
    /// call. Return false to stop the traverse.
    /// </summary>
    public delegate bool TraverseCallback(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    /// <summary>tdb_traverse (write-locking: the callback may store or delete). Returns the number of records visited.</summary>
    public unsafe int Traverse(TraverseCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return RunTraverse(callback, &Interop.LibTdb.tdb_traverse, "tdb_traverse");
    }

    /// <summary>tdb_traverse_read (read locks only; the callback must not write). Returns the number of records visited.</summary>
    public unsafe int TraverseRead(TraverseCallback callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return RunTraverse(callback, &Interop.LibTdb.tdb_traverse_read, "tdb_traverse_read");
    }

    private unsafe int RunTraverse(
        TraverseCallback callback,
        delegate*<SafeTdbHandle, delegate* unmanaged<nint, Interop.LibTdb.TDB_DATA, Interop.LibTdb.TDB_DATA, void*, int>, void*, int> traverse,
        string operation)
    {
        // Per-call state (not instance fields) so that a callback may itself traverse.
        var state = new TraverseState(callback);
        GCHandle handle = GCHandle.Alloc(state);
        int count;
        try
        {
            count = traverse(_handle, &OnRecord, (void*)GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
        state.Error?.Throw();
        if (count < 0)
        {
            ThrowLastError(operation);
        }
        return count;
    }

    [UnmanagedCallersOnly]
    private static unsafe int OnRecord(nint tdb, Interop.LibTdb.TDB_DATA key, Interop.LibTdb.TDB_DATA value, void* privateData)
    {
        var state = (TraverseState)GCHandle.FromIntPtr((nint)privateData).Target!;
        try
        {
            return state.Callback(key.AsSpan(), value.AsSpan()) ? 0 : 1;
        }
        catch (Exception ex)
        {
            // Never unwind through libtdb: stop the traverse and rethrow once it has returned.
            state.Error = ExceptionDispatchInfo.Capture(ex);
            return 1;
        }
    }

    private sealed class TraverseState(TraverseCallback callback)
    {
        public TraverseCallback Callback { get; } = callback;

        public ExceptionDispatchInfo? Error { get; set; }
    }
}
