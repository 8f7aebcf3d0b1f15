// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Nfs;

/// <summary>NFS-Ganesha's D-Bus admin interface (org.ganesha.nfsd.admin), as the agents use it.</summary>
public interface IGaneshaAdmin : IDisposable
{
    /// <summary>Calls "grace" with "event:address"; the server's status and message.</summary>
    (bool Ok, string Message) Grace(string argument);

    /// <summary>Calls "get_grace": whether the server is in its grace period.</summary>
    bool InGrace();

    /// <summary>org.freedesktop.DBus.Peer.Ping on the admin object: the server's D-Bus thread answers.</summary>
    void Ping();
}
