// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Tdb.Tests;

/// <summary>
/// A second process (python3 + ctypes on libtdb.so.1) that opens a TDB file and takes a lock.
/// fcntl locks are per process, so contention can only be shown from another process. The helper
/// holds its lock until <see cref="Release"/> writes a line to its stdin; Dispose kills it by PID
/// if it is still there.
/// </summary>
internal sealed class LockHelper : IDisposable
{
    private const string Script = """
        import ctypes, sys
        class TDB_DATA(ctypes.Structure):
            _fields_ = [("dptr", ctypes.c_char_p), ("dsize", ctypes.c_size_t)]
        lib = ctypes.CDLL("libtdb.so.1", use_errno=True)
        lib.tdb_open.restype = ctypes.c_void_p
        lib.tdb_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_uint]
        for f in ("tdb_chainlock", "tdb_chainlock_nonblock", "tdb_chainunlock"):
            getattr(lib, f).argtypes = [ctypes.c_void_p, TDB_DATA]
        for f in ("tdb_lockall", "tdb_unlockall", "tdb_close"):
            getattr(lib, f).argtypes = [ctypes.c_void_p]
        path, flags, action, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4].encode()
        tdb = lib.tdb_open(path.encode(), 0, flags, 2, 0)
        if not tdb:
            print("open-failed", ctypes.get_errno(), flush=True); sys.exit(2)
        k = TDB_DATA(key, len(key))
        if action == "chainlock":
            rc = lib.tdb_chainlock(tdb, k)
        elif action == "lockall":
            rc = lib.tdb_lockall(tdb)
        elif action == "trychainlock":
            print("trychainlock", lib.tdb_chainlock_nonblock(tdb, k), flush=True); sys.exit(0)
        else:
            rc = 0
        print("ready", rc, flush=True)
        sys.stdin.readline()
        if action == "chainlock":
            lib.tdb_chainunlock(tdb, k)
        elif action == "lockall":
            lib.tdb_unlockall(tdb)
        lib.tdb_close(tdb)
        print("done", flush=True)
        """;

    private readonly Process _process;

    private LockHelper(Process process, string firstLine)
    {
        _process = process;
        FirstLine = firstLine;
    }

    /// <summary>The first line the helper printed ("ready 0", "trychainlock -1", ...).</summary>
    public string FirstLine { get; }

    /// <summary>Holds the chain lock of <paramref name="key"/> until released.</summary>
    public static LockHelper ChainLock(string path, TdbFlags flags, string key) => Start(path, flags, "chainlock", key);

    /// <summary>Holds tdb_lockall until released.</summary>
    public static LockHelper LockAll(string path, TdbFlags flags) => Start(path, flags, "lockall", "");

    /// <summary>Only keeps the file open until released.</summary>
    public static LockHelper Hold(string path, TdbFlags flags) => Start(path, flags, "hold", "");

    /// <summary>Runs tdb_chainlock_nonblock once in another process and returns its result.</summary>
    public static int TryChainLockElsewhere(string path, TdbFlags flags, string key)
    {
        using LockHelper helper = Start(path, flags, "trychainlock", key);
        Assert.StartsWith("trychainlock ", helper.FirstLine);
        Assert.True(helper._process.WaitForExit(10_000), "helper did not exit");
        return int.Parse(helper.FirstLine["trychainlock ".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static LockHelper Start(string path, TdbFlags flags, string action, string key)
    {
        var psi = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { "-c", Script, path, ((int)flags).ToString(System.Globalization.CultureInfo.InvariantCulture), action, key })
        {
            psi.ArgumentList.Add(arg);
        }
        Process process = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
        Task<string?> line = process.StandardOutput.ReadLineAsync();
        if (!line.Wait(TimeSpan.FromSeconds(20)) || line.Result is null)
        {
            Kill(process);
            throw new InvalidOperationException($"lock helper gave no answer for {action} on {path}");
        }
        var helper = new LockHelper(process, line.Result);
        if (action != "trychainlock" && line.Result != "ready 0")
        {
            helper.Dispose();
            throw new InvalidOperationException($"lock helper failed: {line.Result}");
        }
        return helper;
    }

    /// <summary>Lets the helper unlock, close the file and exit; returns once it has.</summary>
    public void Release()
    {
        _process.StandardInput.WriteLine();
        _process.StandardInput.Flush();
        Assert.Equal("done", _process.StandardOutput.ReadLine());
        Assert.True(_process.WaitForExit(10_000), "lock helper did not exit");
    }

    public void Dispose()
    {
        Kill(_process);
        _process.Dispose();
    }

    private static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill(); // this PID only
            process.WaitForExit(10_000);
        }
    }
}
