// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.Clients;

/// <summary>srvid → registered clients (one entry per registration).</summary>
internal sealed class SrvidRegistry
{
    private readonly Dictionary<ulong, List<ClientConnection>> _bySrvid = new();

    public void Register(ClientConnection client, ulong srvid)
    {
        if (!_bySrvid.TryGetValue(srvid, out var list))
        {
            list = new List<ClientConnection>(1);
            _bySrvid[srvid] = list;
        }
        list.Add(client);
        client.Srvids.Add(srvid);
    }

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
        client.Srvids.Remove(srvid);
        return true;
    }

    public void RemoveAll(ClientConnection client)
    {
        foreach (ulong srvid in client.Srvids)
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
        client.Srvids.Clear();
    }

    /// <summary>Registrations for srvid, or an empty list. Do not keep the list across calls.</summary>
    public IReadOnlyList<ClientConnection> Lookup(ulong srvid) =>
        _bySrvid.TryGetValue(srvid, out var list) ? list : Array.Empty<ClientConnection>();

    public bool IsRegistered(ulong srvid) => _bySrvid.ContainsKey(srvid);
}
