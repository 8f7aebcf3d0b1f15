// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb;

/// <summary>Process-wide libtdb facts and helpers.</summary>
public static class TdbRuntime
{
    private static readonly Lazy<bool> s_robustMutexes =
        new(() => Interop.LibTdb.tdb_runtime_check_for_robust_mutexes() != 0);

    /// <summary>
    /// tdb_runtime_check_for_robust_mutexes: whether TDB_MUTEX_LOCKING may be used here. libtdb
    /// probes this by forking a child, so the answer is computed once and cached.
    /// </summary>
    public static bool RobustMutexesSupported => s_robustMutexes.Value;

    /// <summary>
    /// Receives libtdb's log lines for every file opened by <see cref="TdbFile.Open"/> (format
    /// template only, see <see cref="TdbLog"/>). Called on the thread that made the libtdb call;
    /// must not throw (exceptions are swallowed).
    /// </summary>
    public static Action<TdbLogLevel, string>? LogHandler { get; set; }

    /// <summary>tdb_jenkins_hash: Bob Jenkins' lookup3 hashlittle with initval 0 (CTDB's ctdb_hash).</summary>
    public static unsafe uint JenkinsHash(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            var d = new Interop.LibTdb.TDB_DATA(p, data.Length);
            return Interop.LibTdb.tdb_jenkins_hash(&d);
        }
    }
}
