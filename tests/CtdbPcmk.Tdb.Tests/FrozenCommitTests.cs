// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace CtdbPcmk.Tdb.Tests;

/// <summary>
/// A recovery commits under the whole-file lock with libtdb's own locking off, so libtdb does not
/// take the open lock it normally holds through a commit. A process opening the file meanwhile
/// (smbd or the ctdb tool attaching a database) would then find the commit's recovery record
/// valid, take the committing process for dead and roll half of the commit back: records of the
/// previous round, a lost recovery area. The commit must keep openers out as libtdb's does.
/// </summary>
public sealed class FrozenCommitTests : IDisposable
{
    // Another process opening and closing the file read-write (with the given flags) as fast as
    // it can, until its stdin closes; prints how many opens succeeded.
    private const string Opener = """
        import ctypes, os, sys, threading
        lib = ctypes.CDLL("libtdb.so.1", use_errno=True)
        lib.tdb_open.restype = ctypes.c_void_p
        lib.tdb_open.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_uint]
        lib.tdb_close.argtypes = [ctypes.c_void_p]
        done = threading.Event()
        threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
        print("ready", flush=True)
        opens = 0
        while not done.is_set():
            t = lib.tdb_open(sys.argv[1].encode(), 0, int(sys.argv[2]), os.O_RDWR, 0)
            if t:
                opens += 1
                lib.tdb_close(t)
        print(opens, flush=True)
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("replicated", (int)CtdbFlagSets.Replicated)]
    [InlineData("persistent", (int)CtdbFlagSets.Persistent)]
    [InlineData("volatile, mutexes", (int)CtdbFlagSets.Volatile)]
    public void A_process_opening_the_file_during_a_frozen_commit_waits_and_undoes_nothing(string kind, int flags)
    {
        string path = _dir.File("frozen.tdb.0");
        using var tdb = TdbFile.Open(path, 1009, (TdbFlags)flags, Posix.ORdWr | Posix.OCreat, Posix.Mode0600);
        var psi = new ProcessStartInfo("python3") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(Opener);
        psi.ArgumentList.Add(path);
        psi.ArgumentList.Add(flags.ToString(CultureInfo.InvariantCulture));
        using var opener = Process.Start(psi) ?? throw new InvalidOperationException("python3 did not start");
        try
        {
            Assert.Equal("ready", opener.StandardOutput.ReadLine());
            const int Records = 2000;
            const int Rounds = 25;
            for (int round = 0; round < Rounds; round++)
            {
                // As a recovery does: freeze, wipe, push every record, commit.
                tdb.LockAll();
                tdb.FrozenTransactionStart();
                tdb.Wipe();
                byte[] value = Encoding.ASCII.GetBytes($"round {round} ".PadRight(400, '.'));
                for (int i = 0; i < Records; i++)
                {
                    tdb.Store(Encoding.ASCII.GetBytes($"key {i}"), value);
                }
                tdb.FrozenTransactionCommit();
                tdb.UnlockAll();
            }
            opener.StandardInput.Close();
            string? opens = opener.StandardOutput.ReadLine();
            Assert.True(opener.WaitForExit(20_000), "opener did not exit");
            Assert.True(int.Parse(opens ?? "0", CultureInfo.InvariantCulture) > Rounds, $"{kind}: the other process opened the file only {opens} times");

            Assert.True(tdb.Check(), $"{kind}: the file is corrupt");
            var check = Process.Start(new ProcessStartInfo("tdbtool", [path, "check"]) { RedirectStandardOutput = true })!;
            string output = check.StandardOutput.ReadToEnd();
            check.WaitForExit();
            Assert.DoesNotContain("failed", output, StringComparison.Ordinal);
            string last = $"round {Rounds - 1} ";
            for (int i = 0; i < Records; i++)
            {
                Assert.True(tdb.TryFetch(Encoding.ASCII.GetBytes($"key {i}"), out byte[] data), $"{kind}: key {i} is missing");
                Assert.StartsWith(last, Encoding.ASCII.GetString(data), StringComparison.Ordinal);
            }
        }
        finally
        {
            if (!opener.HasExited)
            {
                opener.Kill(); // this PID only
                opener.WaitForExit(10_000);
            }
        }
    }
}
