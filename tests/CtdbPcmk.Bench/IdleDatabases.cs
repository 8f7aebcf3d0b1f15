// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Bench;

/// <summary>The 25 databases of the idle-memory measurement: what smbd 4.17 attaches, plus test DBs.</summary>
internal static class IdleDatabases
{
    private static readonly string[] s_volatile =
    [
        "locking.tdb", "brlock.tdb", "g_lock.tdb", "leases.tdb",
        "smbXsrv_session_global.tdb", "smbXsrv_tcon_global.tdb", "smbXsrv_open_global.tdb",
        "smbXsrv_client_global.tdb", "smbXsrv_version_global.tdb",
    ];

    private static readonly string[] s_persistent =
    [
        "secrets.tdb", "registry.tdb", "passdb.tdb", "share_info.tdb", "account_policy.tdb", "group_mapping.tdb",
    ];

    public const int Count = 25;

    public static void Attach(CtdbClient client)
    {
        foreach (string name in s_volatile)
        {
            client.AttachDatabase(name);
        }
        foreach (string name in s_persistent)
        {
            client.AttachDatabase(name, DatabaseKind.Persistent);
        }
        for (int i = 1; s_volatile.Length + s_persistent.Length + i <= Count; i++)
        {
            client.AttachDatabase($"test{i}.tdb");
        }
    }
}
