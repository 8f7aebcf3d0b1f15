// SPDX-License-Identifier: GPL-3.0-or-later
using System.Collections;
using System.ComponentModel;
using System.Runtime.InteropServices;

namespace CtdbPcmk.Linux;

/// <summary>
/// Starts a daemon in a session of its own (posix_spawn with POSIX_SPAWN_SETSID): Pacemaker
/// kills an agent's whole process group when an action times out, and the daemon must not die
/// with a start that merely took too long. Standard input is /dev/null and standard output and
/// error are appended to a file, so the daemon never holds the pipes Pacemaker reads the agent's
/// output from. posix_spawn does the fork and exec in libc, which is safe in a multi-threaded
/// runtime. Signal dispositions and the signal mask are reset to defaults for the daemon.
/// </summary>
public static unsafe class DaemonSpawner
{
    private const short SpawnSetSigDef = 0x04;
    private const short SpawnSetSigMask = 0x08;
    private const short SpawnSetSid = 0x80;
    private const int ORdOnly = 0;
    private const int OWrOnly = 1;
    private const int OCreat = 0x40;
    private const int OAppend = 0x400;

    // Generous upper bounds of glibc's opaque posix_spawn types and sigset_t on every architecture.
    private const int OpaqueSize = 1024;

    /// <summary>
    /// Starts <paramref name="program"/> and returns its PID. <paramref name="environment"/>
    /// variables (NAME=value) are added to the agent's environment without its resource parameters.
    /// </summary>
    public static int Start(string program, IReadOnlyList<string> arguments, string outputFile, IReadOnlyList<string>? environment = null)
    {
        var strings = new List<nint>();
        var fileActions = NativeMemory.AllocZeroed(OpaqueSize);
        var attributes = NativeMemory.AllocZeroed(OpaqueSize);
        var sigset = NativeMemory.AllocZeroed(OpaqueSize);
        var argv = (byte**)NativeMemory.AllocZeroed((nuint)(arguments.Count + 2), (nuint)sizeof(nint));
        environment = [.. Environment(), .. environment ?? []];
        var envp = (byte**)NativeMemory.AllocZeroed((nuint)(environment.Count + 1), (nuint)sizeof(nint));
        try
        {
            byte* Utf8(string s)
            {
                var p = Marshal.StringToCoTaskMemUTF8(s);
                strings.Add(p);
                return (byte*)p;
            }

            argv[0] = Utf8(program);
            for (var i = 0; i < arguments.Count; i++)
            {
                argv[i + 1] = Utf8(arguments[i]);
            }
            for (var i = 0; i < environment.Count; i++)
            {
                envp[i] = Utf8(environment[i]);
            }

            Check(Interop.Spawn.posix_spawn_file_actions_init(fileActions), "posix_spawn_file_actions_init");
            Check(Interop.Spawn.posix_spawnattr_init(attributes), "posix_spawnattr_init");
            try
            {
                Check(Interop.Spawn.posix_spawn_file_actions_addopen(fileActions, 0, Utf8("/dev/null"), ORdOnly, 0), "addopen stdin");
                var output = Utf8(outputFile);
                Check(Interop.Spawn.posix_spawn_file_actions_addopen(fileActions, 1, output, OWrOnly | OCreat | OAppend, 0x1A4), "addopen stdout");
                Check(Interop.Spawn.posix_spawn_file_actions_addopen(fileActions, 2, output, OWrOnly | OCreat | OAppend, 0x1A4), "addopen stderr");
                Check(Interop.Spawn.posix_spawnattr_setflags(attributes, SpawnSetSid | SpawnSetSigMask | SpawnSetSigDef), "posix_spawnattr_setflags");
                Check(Interop.Spawn.sigemptyset(sigset), "sigemptyset");
                Check(Interop.Spawn.posix_spawnattr_setsigmask(attributes, sigset), "posix_spawnattr_setsigmask");
                Check(Interop.Spawn.sigfillset(sigset), "sigfillset");
                Check(Interop.Spawn.posix_spawnattr_setsigdefault(attributes, sigset), "posix_spawnattr_setsigdefault");

                int pid;
                var error = Interop.Spawn.posix_spawn(&pid, argv[0], fileActions, attributes, argv, envp);
                if (error != 0)
                {
                    throw new Win32Exception(error, $"cannot start {program}: {new Win32Exception(error).Message}");
                }
                return pid;
            }
            finally
            {
                // Destroying only frees memory; there is nothing to do about a failure.
                _ = Interop.Spawn.posix_spawn_file_actions_destroy(fileActions);
                _ = Interop.Spawn.posix_spawnattr_destroy(attributes);
            }
        }
        finally
        {
            foreach (var p in strings)
            {
                Marshal.FreeCoTaskMem(p);
            }
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(sigset);
            NativeMemory.Free(argv);
            NativeMemory.Free(envp);
        }
    }

    /// <summary>
    /// The agent's environment without the resource parameters (they are the agent's, and the
    /// daemon gets everything it needs on its command line) and without CTDB_SOCKET, which would
    /// otherwise compete with the socket the agent passes.
    /// </summary>
    private static List<string> Environment()
    {
        var list = new List<string>();
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            var name = (string)e.Key;
            if (name.StartsWith("OCF_", StringComparison.Ordinal) || name == "CTDB_SOCKET" || name.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }
            list.Add($"{name}={e.Value}");
        }
        return list;
    }

    private static void Check(int result, string what)
    {
        if (result != 0)
        {
            throw new Win32Exception(result, $"{what} failed: {new Win32Exception(result).Message}");
        }
    }
}
