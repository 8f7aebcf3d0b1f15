// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Client;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Samba;

/// <summary>
/// Asks ctdb-pcmkd whether it answers and which databases are attached (GET_DBMAP, then
/// GETDBNAME for each). smbd 4.17 attaches its clustered databases as it starts, before it
/// serves clients: among them smbXsrv_version_global.tdb, locking.tdb and g_lock.tdb, which
/// start waits for as the sign that smbd talks to the daemon.
/// </summary>
internal static class CtdbAttachment
{
    public static IReadOnlyList<string> SmbdDatabases { get; } = ["smbXsrv_version_global.tdb", "locking.tdb", "g_lock.tdb"];

    /// <summary>
    /// The daemon's run state, or null when it does not answer (<paramref name="error"/> says why).
    /// </summary>
    public static RunState? QueryRunState(string socket, TimeSpan timeout, out string error)
    {
        error = "";
        try
        {
            using var client = CtdbClient.Connect(socket);
            client.Timeout = timeout;
            return client.GetRunState();
        }
        catch (Exception e) when (e is CtdbConnectionException or CtdbControlException or TimeoutException)
        {
            error = $"ctdb-pcmkd does not answer on {socket}: {e.Message}";
            return null;
        }
    }

    /// <summary>The databases of <paramref name="wanted"/> that are not attached; throws when the daemon fails.</summary>
    public static List<string> Missing(string socket, TimeSpan timeout, IReadOnlyList<string> wanted)
    {
        using var client = CtdbClient.Connect(socket);
        client.Timeout = timeout;
        var status = client.ControlRaw(ControlOpcode.GetDbMap, WireFormat.CurrentNode, default);
        if (status != 0)
        {
            throw new CtdbControlException($"GET_DBMAP failed with status {status}");
        }
        var map = DbMap.Read(client.LastReplyData);
        var names = new HashSet<string>(StringComparer.Ordinal);
        Span<byte> id = stackalloc byte[4];
        foreach (var db in map.Dbs)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(id, db.DbId);
            if (client.ControlRaw(ControlOpcode.GetDbName, WireFormat.CurrentNode, id) == 0)
            {
                names.Add(CString.Decode(client.LastReplyData));
            }
        }
        return [.. wanted.Where(n => !names.Contains(n))];
    }
}
