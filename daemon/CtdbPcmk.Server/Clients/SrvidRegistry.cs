// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Clients;

/// <summary>srvid → registered clients (one entry per registration), and each client's registrations.</summary>
internal sealed class SrvidRegistry
{
    private readonly Dictionary<ulong, List<ClientConnection>> _bySrvid = new();
    /// <summary>A srvid registered twice is delivered twice, as ctdbd does: one entry per registration.</summary>
    private readonly Dictionary<ClientConnection, List<ulong>> _byClient = new();

    public void Register(ClientConnection client, ulong srvid)
    {
        if (!_bySrvid.TryGetValue(srvid, out var list))
        {
            list = new List<ClientConnection>(1);
            _bySrvid[srvid] = list;
        }
        list.Add(client);
        if (!_byClient.TryGetValue(client, out var srvids))
        {
            srvids = new List<ulong>(2);
            _byClient[client] = srvids;
        }
        srvids.Add(srvid);
    }

    /// <summary>How many registrations <paramref name="client"/> holds.</summary>
    public int CountOf(ClientConnection client) => _byClient.TryGetValue(client, out var srvids) ? srvids.Count : 0;

    /// <summary>Removes one registration; false if the client had none for that srvid.</summary>
    public bool Deregister(ClientConnection client, ulong srvid)
    {
        if (!_bySrvid.TryGetValue(srvid, out var list) || !list.Remove(client))
        {
            return false;
        }
        if (list.Count == 0)
        {
            _bySrvid.Remove(srvid);
        }
        _byClient[client].Remove(srvid);
        return true;
    }

    public void RemoveAll(ClientConnection client)
    {
        if (!_byClient.Remove(client, out var srvids))
        {
            return;
        }
        foreach (ulong srvid in srvids)
        {
            if (_bySrvid.TryGetValue(srvid, out var list))
            {
                list.Remove(client);
                if (list.Count == 0)
                {
                    _bySrvid.Remove(srvid);
                }
            }
        }
    }

    /// <summary>Registrations for srvid, or an empty list. Do not keep the list across calls.</summary>
    public IReadOnlyList<ClientConnection> Lookup(ulong srvid) =>
        _bySrvid.TryGetValue(srvid, out var list) ? list : Array.Empty<ClientConnection>();
}
