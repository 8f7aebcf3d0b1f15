// SPDX-License-Identifier: GPL-3.0-or-later
using Tmds.DBus.Protocol;

namespace CtdbPcmk.DBus;

/// <summary>
/// NFS-Ganesha's admin object on the system bus (org.ganesha.nfsd, /org/ganesha/nfsd/admin):
/// grace periods for failover and a liveness ping.
/// </summary>
public sealed class GaneshaAdmin
{
    public const string BusName = "org.ganesha.nfsd";
    public const string ObjectPath = "/org/ganesha/nfsd/admin";
    public const string Interface = "org.ganesha.nfsd.admin";

    private readonly BusConnection _bus;
    private readonly TimeSpan _timeout;

    /// <param name="bus">The system bus ganesha.nfsd registered on.</param>
    /// <param name="callTimeout">How long each call may wait for its reply.</param>
    public GaneshaAdmin(BusConnection bus, TimeSpan callTimeout)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
        _timeout = callTimeout;
    }

    /// <summary>
    /// admin.grace: starts a grace period. The argument is ganesha's: an event number and an
    /// address ("5:192.0.2.10" for a taken-over address), or empty for a plain grace period.
    /// </summary>
    public GraceResult Grace(string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        using var writer = _bus.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, ObjectPath, Interface, "grace", "s", MessageFlags.None);
        writer.WriteString(argument);
        return _bus.Call(writer.CreateMessage(), static (message, _) =>
        {
            var reader = message.GetBodyReader();
            var status = reader.ReadBool();
            return new GraceResult(status, reader.ReadString());
        }, _timeout, $"{BusName} {Interface}.grace");
    }

    /// <summary>admin.get_grace: whether the server is in grace now.</summary>
    public GraceState GetGrace()
    {
        using var writer = _bus.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, ObjectPath, Interface, "get_grace", null, MessageFlags.None);
        return _bus.Call(writer.CreateMessage(), static (message, _) =>
        {
            var reader = message.GetBodyReader();
            var inGrace = reader.ReadBool();
            var status = reader.ReadBool();
            return new GraceState(inGrace, status, reader.ReadString());
        }, _timeout, $"{BusName} {Interface}.get_grace");
    }

    /// <summary>org.freedesktop.DBus.Peer.Ping on the admin object: ganesha.nfsd owns the name and its D-Bus thread answers.</summary>
    public void Ping()
    {
        using var writer = _bus.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, ObjectPath, "org.freedesktop.DBus.Peer", "Ping", null, MessageFlags.None);
        _bus.Call(writer.CreateMessage(), static (_, _) => true, _timeout, $"{BusName} org.freedesktop.DBus.Peer.Ping");
    }
}
