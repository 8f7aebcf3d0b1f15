// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

internal static partial class Interop
{
    /// <summary>posix_spawn and its attribute calls (glibc's opaque types are passed as buffers).</summary>
    internal static unsafe partial class Spawn
    {
        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);

        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawn_file_actions_init(void* fileActions);

        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);

        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawn_file_actions_destroy(void* fileActions);

        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawnattr_init(void* attributes);

        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawnattr_setflags(void* attributes, short flags);

        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawnattr_setsigmask(void* attributes, void* sigset);

        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawnattr_setsigdefault(void* attributes, void* sigset);

        [LibraryImport(Libc.Name)]
        internal static partial int posix_spawnattr_destroy(void* attributes);

        [LibraryImport(Libc.Name)]
        internal static partial int sigemptyset(void* sigset);

        [LibraryImport(Libc.Name)]
        internal static partial int sigfillset(void* sigset);
    }
}
