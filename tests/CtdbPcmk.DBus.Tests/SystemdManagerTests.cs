// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.DBus.Tests;

/// <summary>
/// SystemdManager on a real dbus-daemon against <see cref="TestSystemd"/>, a test service that
/// stands in for systemd's manager: systemd itself does not run on this host, so these tests
/// check the calls and the waiting, not systemd's behaviour.
/// </summary>
public sealed class SystemdManagerTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(10);

    private readonly TestBus _bus = TestBus.Start();
    private readonly TestSystemd _systemd;
    private readonly BusConnection _connection;

    public SystemdManagerTests()
    {
        try
        {
            _systemd = TestSystemd.Start(_bus);
            _connection = _bus.Connect();
        }
        catch
        {
            _bus.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _connection.Dispose();
        _systemd.Dispose();
        _bus.Dispose();
    }

    [Fact]
    public void Start_and_stop_send_replace_jobs_and_wait_for_them()
    {
        var manager = new SystemdManager(_connection, s_timeout);
        Assert.Equal("inactive", manager.ActiveState("smb.service"));
        manager.StartUnit("smb.service");
        Assert.Equal("active", manager.ActiveState("smb.service"));
        manager.StopUnit("smb.service");
        Assert.Equal("inactive", manager.ActiveState("smb.service"));
        manager.RestartUnit("smb.service");
        Assert.Equal("active", manager.ActiveState("smb.service"));

        var path = TestSystemd.UnitPath("smb.service");
        Assert.Equal("/org/freedesktop/systemd1/unit/smb_2eservice", path);
        Assert.Equal(
            [
                "LoadUnit smb.service",
                $"Get {path} org.freedesktop.systemd1.Unit ActiveState",
                "Subscribe",
                "StartUnit smb.service replace",
                "LoadUnit smb.service",
                $"Get {path} org.freedesktop.systemd1.Unit ActiveState",
                "StopUnit smb.service replace",
                "LoadUnit smb.service",
                $"Get {path} org.freedesktop.systemd1.Unit ActiveState",
                "RestartUnit smb.service replace",
                "LoadUnit smb.service",
                $"Get {path} org.freedesktop.systemd1.Unit ActiveState",
            ],
            _systemd.Calls);
    }

    [Fact]
    public void Start_returns_only_when_the_job_has_ended()
    {
        _systemd.JobDelay = TimeSpan.FromMilliseconds(700);
        var manager = new SystemdManager(_connection, s_timeout);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        manager.StartUnit("winbind.service");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(600), $"returned after {clock.Elapsed}");
        Assert.Equal("active", _systemd.State("winbind.service"));
        clock.Restart();
        manager.StopUnit("winbind.service");
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(600), $"returned after {clock.Elapsed}");
        Assert.Equal("inactive", _systemd.State("winbind.service"));
    }

    [Fact]
    public void A_failed_job_is_an_error()
    {
        _systemd.FailingUnits.Add("nmb.service");
        var manager = new SystemdManager(_connection, s_timeout);
        var e = Assert.Throws<DBusException>(() => manager.StartUnit("nmb.service"));
        Assert.Contains("StartUnit nmb.service: job /org/freedesktop/systemd1/job/", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("ended with result 'failed'", e.Message, StringComparison.Ordinal);
        Assert.Equal("failed", manager.ActiveState("nmb.service"));
    }

    [Fact]
    public void A_job_that_does_not_end_in_time_is_an_error()
    {
        _systemd.JobDelay = TimeSpan.FromSeconds(5);
        var manager = new SystemdManager(_connection, TimeSpan.FromSeconds(1));
        var e = Assert.Throws<DBusException>(() => manager.StartUnit("smb.service"));
        Assert.Contains("did not finish within 1 s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WaitForState_polls_until_the_state_or_the_timeout()
    {
        var manager = new SystemdManager(_connection, s_timeout);
        _systemd.SetState("smb.service", "activating");
        _ = Task.Delay(500).ContinueWith(_ => _systemd.SetState("smb.service", "active"), TaskScheduler.Default);
        Assert.True(manager.WaitForState("smb.service", "active", TimeSpan.FromSeconds(5)));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(manager.WaitForState("smb.service", "inactive", TimeSpan.FromMilliseconds(400)));
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public void Without_systemd_on_the_bus_the_error_names_it()
    {
        _systemd.Dispose();
        var manager = new SystemdManager(_connection, s_timeout);
        // The name is released when the test service's connection closes.
        Assert.True(SpinWait.SpinUntil(() =>
        {
            try
            {
                manager.ActiveState("smb.service");
                return false;
            }
            catch (DBusException)
            {
                return true;
            }
        }, TimeSpan.FromSeconds(5)));
        var e = Assert.Throws<DBusException>(() => manager.StartUnit("smb.service"));
        Assert.Equal(DBusException.ServiceUnknown, e.ErrorName);
        Assert.Contains("org.freedesktop.systemd1", e.Message, StringComparison.Ordinal);
    }
}
