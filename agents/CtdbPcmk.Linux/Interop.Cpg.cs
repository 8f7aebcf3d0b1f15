// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>
    /// Corosync's closed process group API (libcpg.so.4, corosync 3). Only what the daemon needs
    /// to hear membership changes and tell the group which node it is: initialise, join one
    /// group, send to it, dispatch from its fd, finalise.
    /// </summary>
    internal static unsafe partial class Cpg
    {
        private const string Lib = "libcpg.so.4";

        /// <summary>cs_error_t: success.</summary>
        internal const int CS_OK = 1;

        /// <summary>cs_error_t: try again.</summary>
        internal const int CS_ERR_TRY_AGAIN = 6;

        /// <summary>cs_dispatch_flags_t: everything pending, without blocking.</summary>
        internal const int CS_DISPATCH_ALL = 2;

        internal const int CPG_MAX_NAME_LENGTH = 128;

        /// <summary>cpg_guarantee_t: delivered in the same order on every member.</summary>
        internal const int CPG_TYPE_AGREED = 2;

        // Why a member left (cpg_reason_t).
        internal const uint CPG_REASON_LEAVE = 2;
        internal const uint CPG_REASON_NODEDOWN = 3;
        internal const uint CPG_REASON_PROCDOWN = 5;

        /// <summary>struct cpg_name: u32 length, char value[128] (132 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 132)]
        internal struct CpgName
        {
            [FieldOffset(0)]
            public uint Length;
            [FieldOffset(4)]
            public fixed byte Value[CPG_MAX_NAME_LENGTH];
        }

        /// <summary>struct cpg_address: u32 nodeid, u32 pid, u32 reason (12 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 12)]
        internal struct CpgAddress
        {
            [FieldOffset(0)]
            public uint NodeId;
            [FieldOffset(4)]
            public uint Pid;
            [FieldOffset(8)]
            public uint Reason;
        }

        /// <summary>struct iovec: void *iov_base, size_t iov_len (16 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        internal struct IoVec
        {
            [FieldOffset(0)]
            public void* Base;
            [FieldOffset(8)]
            public nuint Length;
        }

        /// <summary>cpg_callbacks_t: the deliver and configuration-change function pointers (16 bytes).</summary>
        [StructLayout(LayoutKind.Explicit, Size = 16)]
        internal struct Callbacks
        {
            [FieldOffset(0)]
            public delegate* unmanaged<ulong, CpgName*, uint, uint, void*, nuint, void> Deliver;
            [FieldOffset(8)]
            public delegate* unmanaged<ulong, CpgName*, CpgAddress*, nuint, CpgAddress*, nuint, CpgAddress*, nuint, void> ConfigurationChange;
        }

        [LibraryImport(Lib)]
        internal static partial int cpg_initialize(out ulong handle, Callbacks* callbacks);

        [LibraryImport(Lib)]
        internal static partial int cpg_fd_get(ulong handle, out int fd);

        [LibraryImport(Lib)]
        internal static partial int cpg_join(ulong handle, CpgName* group);

        [LibraryImport(Lib)]
        internal static partial int cpg_mcast_joined(ulong handle, int guarantee, IoVec* iovec, uint count);

        [LibraryImport(Lib)]
        internal static partial int cpg_dispatch(ulong handle, int dispatchTypes);

        [LibraryImport(Lib)]
        internal static partial int cpg_local_get(ulong handle, out uint nodeId);

        [LibraryImport(Lib)]
        internal static partial int cpg_finalize(ulong handle);
    }
}
