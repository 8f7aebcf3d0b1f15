// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Server;

internal static partial class Interop
{
    /// <summary>
    /// Corosync's closed process group API (libcpg.so.4, corosync 3). Only what the daemon needs
    /// to hear membership changes: initialise, join one group, dispatch from its fd, finalise.
    /// </summary>
    internal static unsafe partial class Cpg
    {
        private const string Lib = "libcpg.so.4";

        /// <summary>cs_error_t: CS_OK.</summary>
        internal const int CsOk = 1;

        /// <summary>cs_error_t: CS_ERR_TRY_AGAIN.</summary>
        internal const int CsErrTryAgain = 6;

        /// <summary>cs_dispatch_flags_t: CS_DISPATCH_ALL (everything pending, without blocking).</summary>
        internal const int CsDispatchAll = 2;

        /// <summary>CPG_MAX_NAME_LENGTH.</summary>
        internal const int MaxNameLength = 128;

        /// <summary>Why a member left (cpg_reason_t): LEAVE, NODEDOWN, PROCDOWN.</summary>
        internal const uint ReasonLeave = 2;
        internal const uint ReasonNodeDown = 3;
        internal const uint ReasonProcDown = 5;

        /// <summary>struct cpg_name: u32 length, char value[128] (132 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct CpgName
        {
            public uint Length;
            public fixed byte Value[MaxNameLength];
        }

        /// <summary>struct cpg_address: u32 nodeid, u32 pid, u32 reason (12 bytes).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct CpgAddress
        {
            public uint NodeId;
            public uint Pid;
            public uint Reason;
        }

        /// <summary>cpg_callbacks_t: the deliver and configuration-change function pointers.</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct Callbacks
        {
            public delegate* unmanaged<ulong, CpgName*, uint, uint, void*, nuint, void> Deliver;
            public delegate* unmanaged<ulong, CpgName*, CpgAddress*, nuint, CpgAddress*, nuint, CpgAddress*, nuint, void> ConfigurationChange;
        }

        [LibraryImport(Lib, EntryPoint = "cpg_initialize")]
        internal static partial int Initialize(out ulong handle, Callbacks* callbacks);

        [LibraryImport(Lib, EntryPoint = "cpg_fd_get")]
        internal static partial int FdGet(ulong handle, out int fd);

        [LibraryImport(Lib, EntryPoint = "cpg_join")]
        internal static partial int Join(ulong handle, CpgName* group);

        [LibraryImport(Lib, EntryPoint = "cpg_dispatch")]
        internal static partial int Dispatch(ulong handle, int dispatchTypes);

        [LibraryImport(Lib, EntryPoint = "cpg_local_get")]
        internal static partial int LocalGet(ulong handle, out uint nodeId);

        [LibraryImport(Lib, EntryPoint = "cpg_finalize")]
        internal static partial int Finalize(ulong handle);
    }
}
