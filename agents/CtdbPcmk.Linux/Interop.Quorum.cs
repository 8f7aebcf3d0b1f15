// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>
    /// Corosync's quorum API (libquorum.so.5, corosync 3): whether this node's partition is
    /// quorate, and a notification on every change, dispatched from the handle's fd.
    /// </summary>
    internal static unsafe partial class Quorum
    {
        private const string Lib = "libquorum.so.5";

        /// <summary>quorum_initialize's quorum_type: no quorum provider configured.</summary>
        internal const uint QUORUM_FREE = 0;

        /// <summary>cs_track flags: notify on every change.</summary>
        internal const uint CS_TRACK_CHANGES = 2;

        /// <summary>quorum_callbacks_t: the notification function pointer (8 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 8)]
        internal struct Callbacks
        {
            [FieldOffset(0)]
            public delegate* unmanaged<ulong, uint, ulong, uint, uint*, void> Notify;
        }

        [LibraryImport(Lib)]
        internal static partial int quorum_initialize(out ulong handle, Callbacks* callbacks, out uint quorumType);

        [LibraryImport(Lib)]
        internal static partial int quorum_fd_get(ulong handle, out int fd);

        [LibraryImport(Lib)]
        internal static partial int quorum_getquorate(ulong handle, out int quorate);

        [LibraryImport(Lib)]
        internal static partial int quorum_trackstart(ulong handle, uint flags);

        [LibraryImport(Lib)]
        internal static partial int quorum_dispatch(ulong handle, int dispatchTypes);

        [LibraryImport(Lib)]
        internal static partial int quorum_finalize(ulong handle);
    }
}
