// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.DBus.Tests;

/// <summary>One real ganesha.nfsd on a private system bus for the tests of this class.</summary>
public sealed class GaneshaFixture : IDisposable
{
    public GaneshaFixture()
    {
        Bus = TestBus.Start();
        try
        {
            Server = GaneshaServer.Start(Bus);
        }
        catch
        {
            Bus.Dispose();
            throw;
        }
    }

    public TestBus Bus { get; }

    public GaneshaServer Server { get; }

    public void Dispose()
    {
        Server.Dispose();
        Bus.Dispose();
    }
}

/// <summary>GaneshaAdmin against NFS-Ganesha 4.3's ganesha.nfsd on a real dbus-daemon.</summary>
public sealed class GaneshaAdminTests(GaneshaFixture ganesha) : IClassFixture<GaneshaFixture>
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void Ping_answers()
    {
        using var connection = ganesha.Bus.Connect();
        new GaneshaAdmin(connection, s_timeout).Ping();
    }

    [Fact]
    public void Grace_puts_the_server_in_grace()
    {
        using var connection = ganesha.Bus.Connect();
        var admin = new GaneshaAdmin(connection, s_timeout);
        var before = admin.GetGrace();
        Assert.True(before.Status, before.Error);

        var result = admin.Grace("5:127.0.0.1");
        Assert.True(result.Status, result.Error);
        var after = admin.GetGrace();
        Assert.True(after.Status, after.Error);
        Assert.True(after.InGrace, $"not in grace after grace: {after}");
    }
}

/// <summary>GaneshaAdmin where no ganesha.nfsd runs.</summary>
public sealed class GaneshaAbsentTests
{
    [Fact]
    public void A_call_without_ganesha_names_the_missing_service()
    {
        using var bus = TestBus.Start();
        using var connection = bus.Connect();
        var admin = new GaneshaAdmin(connection, TimeSpan.FromSeconds(5));
        var e = Assert.Throws<DBusException>(admin.Ping);
        Assert.Equal(DBusException.ServiceUnknown, e.ErrorName);
        Assert.Contains("org.ganesha.nfsd", e.Message, StringComparison.Ordinal);
        var grace = Assert.Throws<DBusException>(() => admin.Grace("5:127.0.0.1"));
        Assert.Equal(DBusException.ServiceUnknown, grace.ErrorName);
        Assert.StartsWith("org.ganesha.nfsd org.ganesha.nfsd.admin.grace: org.freedesktop.DBus.Error.ServiceUnknown: ", grace.Message, StringComparison.Ordinal);
    }
}
