// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.DBus;

namespace CtdbPcmk.Nfs;

/// <summary>NFS-Ganesha's admin interface on a real D-Bus connection (CtdbPcmk.DBus).</summary>
public sealed class DBusGaneshaAdmin : IGaneshaAdmin
{
    private readonly BusConnection _bus;
    private readonly GaneshaAdmin _admin;

    private DBusGaneshaAdmin(BusConnection bus, TimeSpan timeout)
    {
        _bus = bus;
        _admin = new GaneshaAdmin(bus, timeout);
    }

    /// <summary>Connects to the bus at <paramref name="address"/>; <see cref="GaneshaAdminException"/> when it does not answer.</summary>
    public static IGaneshaAdmin Connect(string address, TimeSpan timeout)
    {
        try
        {
            return new DBusGaneshaAdmin(BusConnection.Connect(address, timeout), timeout);
        }
        catch (DBusException e)
        {
            throw new GaneshaAdminException(e.Message, e);
        }
    }

    /// <inheritdoc/>
    public (bool Ok, string Message) Grace(string argument)
    {
        var result = Call(() => _admin.Grace(argument));
        return (result.Status, result.Error);
    }

    /// <inheritdoc/>
    public bool InGrace()
    {
        var state = Call(_admin.GetGrace);
        return state.Status ? state.InGrace : throw new GaneshaAdminException($"get_grace failed: {state.Error}");
    }

    /// <inheritdoc/>
    public void Ping() => Call(() =>
    {
        _admin.Ping();
        return true;
    });

    public void Dispose() => _bus.Dispose();

    private static T Call<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (DBusException e)
        {
            throw new GaneshaAdminException(e.Message, e);
        }
    }
}
