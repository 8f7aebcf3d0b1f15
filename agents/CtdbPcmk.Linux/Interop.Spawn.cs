// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>posix_spawn and its attribute calls (glibc's opaque types are passed as buffers).</summary>
    internal static unsafe partial class Spawn
    {
        [LibraryImport(Libc.Name, EntryPoint = "posix_spawn")]
        internal static partial int PosixSpawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

        [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_init")]
        internal static partial int FileActionsInit(void* fileActions);

        [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_addopen")]
        internal static partial int FileActionsAddOpen(void* fileActions, int fd, byte* path, int flags, uint mode);

        [LibraryImport(Libc.Name, EntryPoint = "posix_spawn_file_actions_destroy")]
        internal static partial int FileActionsDestroy(void* fileActions);

        [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_init")]
        internal static partial int AttrInit(void* attributes);

        [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_setflags")]
        internal static partial int AttrSetFlags(void* attributes, short flags);

        [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_setsigmask")]
        internal static partial int AttrSetSigMask(void* attributes, void* sigset);

        [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_setsigdefault")]
        internal static partial int AttrSetSigDefault(void* attributes, void* sigset);

        [LibraryImport(Libc.Name, EntryPoint = "posix_spawnattr_destroy")]
        internal static partial int AttrDestroy(void* attributes);

        [LibraryImport(Libc.Name, EntryPoint = "sigemptyset")]
        internal static partial int SigEmptySet(void* sigset);

        [LibraryImport(Libc.Name, EntryPoint = "sigfillset")]
        internal static partial int SigFillSet(void* sigset);
    }
}
