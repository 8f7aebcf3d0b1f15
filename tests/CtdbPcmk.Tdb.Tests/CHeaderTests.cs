// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace CtdbPcmk.Tdb.Tests;

/// <summary>
/// Proves the managed mirrors against the installed tdb.h: a generated C file static_asserts every
/// struct size, field offset and constant, and gcc compiles it (libtdb-dev and gcc come from
/// packaging/install-deps.sh).
/// </summary>
public sealed class CHeaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void ManagedMirrorsMatchTdbH()
    {
        var c = new StringBuilder();
        c.AppendLine("#include <stdbool.h>");
        c.AppendLine("#include <stddef.h>");
        c.AppendLine("#include <sys/types.h>");
        c.AppendLine("#include <tdb.h>");
        Assert("sizeof(TDB_DATA)", Unsafe.SizeOf<Interop.LibTdb.TDB_DATA>());
        Assert("offsetof(TDB_DATA, dptr)", (int)Marshal.OffsetOf<Interop.LibTdb.TDB_DATA>("dptr"));
        Assert("offsetof(TDB_DATA, dsize)", (int)Marshal.OffsetOf<Interop.LibTdb.TDB_DATA>("dsize"));
        Assert("sizeof(struct tdb_logging_context)", Unsafe.SizeOf<Interop.LibTdb.tdb_logging_context>());
        Assert("offsetof(struct tdb_logging_context, log_fn)", (int)Marshal.OffsetOf<Interop.LibTdb.tdb_logging_context>("log_fn"));
        Assert("offsetof(struct tdb_logging_context, log_private)", (int)Marshal.OffsetOf<Interop.LibTdb.tdb_logging_context>("log_private"));
        Assert("TDB_REPLACE", (int)TdbStoreMode.Replace);
        Assert("TDB_INSERT", (int)TdbStoreMode.Insert);
        Assert("TDB_MODIFY", (int)TdbStoreMode.Modify);
        string[] flagNames =
        [
            "TDB_DEFAULT", "TDB_CLEAR_IF_FIRST", "TDB_INTERNAL", "TDB_NOLOCK", "TDB_NOMMAP", "TDB_CONVERT",
            "TDB_BIGENDIAN", "TDB_NOSYNC", "TDB_SEQNUM", "TDB_VOLATILE", "TDB_ALLOW_NESTING",
            "TDB_DISALLOW_NESTING", "TDB_INCOMPATIBLE_HASH", "TDB_MUTEX_LOCKING",
        ];
        TdbFlags[] flags = Enum.GetValues<TdbFlags>();
        Xunit.Assert.Equal(flagNames.Length, flags.Length);
        for (int i = 0; i < flags.Length; i++)
        {
            Assert(flagNames[i], (int)flags[i]);
        }
        string[] errorNames =
        [
            "TDB_SUCCESS", "TDB_ERR_CORRUPT", "TDB_ERR_IO", "TDB_ERR_LOCK", "TDB_ERR_OOM", "TDB_ERR_EXISTS",
            "TDB_ERR_NOLOCK", "TDB_ERR_LOCK_TIMEOUT", "TDB_ERR_NOEXIST", "TDB_ERR_EINVAL", "TDB_ERR_RDONLY",
            "TDB_ERR_NESTING",
        ];
        TdbError[] errors = Enum.GetValues<TdbError>();
        Xunit.Assert.Equal(errorNames.Length, errors.Length);
        for (int i = 0; i < errors.Length; i++)
        {
            Assert(errorNames[i], (int)errors[i]);
        }
        TdbLogLevel[] levels = Enum.GetValues<TdbLogLevel>();
        string[] levelNames = ["TDB_DEBUG_FATAL", "TDB_DEBUG_ERROR", "TDB_DEBUG_WARNING", "TDB_DEBUG_TRACE"];
        for (int i = 0; i < levels.Length; i++)
        {
            Assert(levelNames[i], (int)levels[i]);
        }

        string source = _dir.File("layout.c");
        File.WriteAllText(source, c.ToString());
        (int exit, string output) = Run("gcc", "-std=c11", "-Wall", "-Werror", "-fsyntax-only", source);
        Xunit.Assert.True(exit == 0, output);

        void Assert(string expression, int value) =>
            c.AppendLine(System.FormattableString.Invariant($"_Static_assert({expression} == {value}, \"{expression} != {value}\");"));
    }

    [Fact]
    public void TheGeneratedCheckCanFail()
    {
        // Guards against a compiler invocation that would accept anything.
        string source = _dir.File("wrong.c");
        File.WriteAllText(source, "#include <tdb.h>\n_Static_assert(sizeof(TDB_DATA) == 12, \"wrong\");\n");
        (int exit, string output) = Run("gcc", "-std=c11", "-fsyntax-only", source);
        Xunit.Assert.NotEqual(0, exit);
        Xunit.Assert.Contains("wrong", output, StringComparison.Ordinal);
    }

    private static (int Exit, string Output) Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in args)
        {
            psi.ArgumentList.Add(arg);
        }
        using Process process = Process.Start(psi) ?? throw new InvalidOperationException(file + " did not start");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            throw new TimeoutException(file);
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
