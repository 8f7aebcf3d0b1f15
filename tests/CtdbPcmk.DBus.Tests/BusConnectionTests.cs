// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.DBus.Tests;

/// <summary>Connecting to a real dbus-daemon, and failing clearly where there is none.</summary>
public sealed class BusConnectionTests
{
    [Fact]
    public void Connects_to_a_running_bus()
    {
        using var bus = TestBus.Start();
        using var connection = bus.Connect();
        Assert.StartsWith(":", connection.UniqueName, StringComparison.Ordinal);
        Assert.Equal(bus.Address, connection.Address);
    }

    [Fact]
    public void A_bus_that_does_not_exist_is_a_clear_error()
    {
        var address = "unix:path=/nonexistent/dbus-test/bus";
        var e = Assert.Throws<DBusException>(() => BusConnection.Connect(address, TimeSpan.FromSeconds(5)));
        Assert.StartsWith($"cannot connect to the D-Bus bus at {address}: ", e.Message, StringComparison.Ordinal);
        Assert.Null(e.ErrorName);
    }

    [Fact]
    public void A_bus_that_went_away_is_a_clear_error()
    {
        string address;
        using (var bus = TestBus.Start())
        {
            address = bus.Address;
        }
        var e = Assert.Throws<DBusException>(() => BusConnection.Connect(address, TimeSpan.FromSeconds(5)));
        Assert.Contains(address, e.Message, StringComparison.Ordinal);
    }
}
