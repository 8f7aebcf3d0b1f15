// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.DBus.Tests;
using CtdbPcmk.Samba;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// ocf:ctdb:samba with service_manager=systemd, in-process, against <see cref="TestSystemd"/> on
/// a real dbus-daemon. systemd itself does not run on this host: the test service stands in for
/// its manager and records the calls, so these tests check what the agent asks and how it reads
/// the answers, not what systemd does with the units.
/// </summary>
public sealed class SambaSystemdTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("samba-systemd-").FullName;
    private readonly TestBus _bus;
    private readonly TestSystemd _systemd;
    private readonly int _port = FreePort();

    public SambaSystemdTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "rsctmp"));
        _bus = TestBus.Start();
        try
        {
            _systemd = TestSystemd.Start(_bus);
        }
        catch
        {
            _bus.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _systemd.Dispose();
        _bus.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string Socket => Path.Combine(_dir, "ctdbd.socket");

    private AgentRun Run(string action, params (string Name, string Value)[] parameters)
    {
        var conf = Path.Combine(_dir, "smb.conf");
        File.WriteAllText(conf, $"[global]\n\tclustering = yes\n\tctdbd socket = {Socket}\n\tsmb ports = {_port}\n[share]\n\tpath = /tmp\n");
        var env = new Dictionary<string, string>
        {
            ["OCF_RESKEY_config"] = conf,
            ["OCF_RESKEY_ctdb_socket"] = Socket,
            ["OCF_RESKEY_service_manager"] = "systemd",
            ["OCF_RESKEY_dbus_address"] = _bus.Address,
            ["HA_RSCTMP"] = Path.Combine(_dir, "rsctmp"),
        };
        foreach (var (name, value) in parameters)
        {
            env[name.StartsWith("OCF_", StringComparison.Ordinal) ? name : "OCF_RESKEY_" + name] = value;
        }
        return AgentRun.Of(new SambaAgent(), action, [.. env.Select(e => (e.Key, e.Value))]);
    }

    public static TheoryData<string, string, string, int, string> BadValues => new()
    {
        { "validate-all", "service_manager", "upstart", 6, "service_manager 'upstart' is neither 'direct' nor 'systemd'" },
        { "monitor", "service_manager", "systemctl", 6, "service_manager 'systemctl' is neither 'direct' nor 'systemd'" },
        { "validate-all", "systemd_units", "smb", 6, "systemd_units: 'smb' is not a systemd service unit name (such as smb.service)" },
        { "start", "systemd_units", "smb.service;reboot", 6, "systemd_units: 'smb.service;reboot' is not a systemd service unit name" },
        { "validate-all", "dbus_address", "/run/dbus/system_bus_socket", 6, "dbus_address '/run/dbus/system_bus_socket' is not a D-Bus address" },
        { "validate-all", "dbus_address", "unix:path=/nonexistent/bus", 1, "cannot connect to the D-Bus bus at unix:path=/nonexistent/bus: " },
        { "start", "dbus_address", "unix:path=/nonexistent/bus", 1, "cannot connect to the D-Bus bus at unix:path=/nonexistent/bus: " },
        { "monitor", "dbus_address", "unix:path=/nonexistent/bus", 1, "cannot connect to the D-Bus bus at unix:path=/nonexistent/bus: " },
        { "stop", "dbus_address", "unix:path=/nonexistent/bus", 1, "cannot connect to the D-Bus bus at unix:path=/nonexistent/bus: " },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void Bad_values_and_an_unreachable_bus_give_the_right_code_and_reason(string action, string name, string value, int code, string reason)
    {
        var r = Run(action, (name, value));
        Assert.True(r.ExitCode == code, $"exit {r.ExitCode}: {r.Stderr}");
        Assert.StartsWith(reason, r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_all_with_a_reachable_bus_succeeds()
    {
        var r = Run("validate-all");
        Assert.True(r.ExitCode == 0, r.Stderr);
    }

    [Fact]
    public void Monitor_reads_each_units_active_state()
    {
        var smb = TestSystemd.UnitPath("smb.service");
        var winbind = TestSystemd.UnitPath("winbind.service");
        var probe = Run("monitor", ("services", "smbd winbindd"));
        Assert.True(probe.ExitCode == 7, probe.Stderr);
        Assert.Equal(
            [
                "LoadUnit winbind.service", $"Get {winbind} org.freedesktop.systemd1.Unit ActiveState",
                "LoadUnit smb.service", $"Get {smb} org.freedesktop.systemd1.Unit ActiveState",
            ],
            _systemd.Calls);

        // A crashed unit is not running: Pacemaker recovers it with stop and start.
        _systemd.SetState("smb.service", "failed");
        Assert.Equal(7, Run("monitor", ("services", "smbd winbindd")).ExitCode);

        _systemd.SetState("winbind.service", "active");
        var partly = Run("monitor", ("services", "smbd winbindd"));
        Assert.Equal(1, partly.ExitCode);
        Assert.Equal("partly running: smb.service is failed", partly.Reason);

        // Active, but nothing answers on the smb port: the deep probe still fails it, at once
        // when cluster_wait is 0, after cluster_wait otherwise, since no ctdb-pcmkd answers here
        // either (smbd cannot serve without one; it may be on its way back).
        _systemd.SetState("smb.service", "active");
        var waiting = Run("monitor", ("services", "smbd"));
        Assert.True(waiting.ExitCode == 0, waiting.Stderr);
        Assert.Contains("the cluster database does not serve either (ctdb-pcmkd does not answer on", waiting.Stderr, StringComparison.Ordinal);
        var deaf = Run("monitor", ("services", "smbd"), ("cluster_wait", "0"));
        Assert.Equal(1, deaf.ExitCode);
        Assert.StartsWith("smb.service active, but smbd does not serve: ", deaf.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Stop_stops_the_units_in_reverse_order_and_waits_for_the_jobs()
    {
        _systemd.SetState("winbind.service", "active");
        _systemd.SetState("smb.service", "active");
        _systemd.JobDelay = TimeSpan.FromMilliseconds(300);
        var r = Run("stop", ("services", "smbd winbindd"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["Subscribe", "StopUnit smb.service replace", "StopUnit winbind.service replace"], _systemd.Calls);
        Assert.Equal("inactive", _systemd.State("smb.service"));
        Assert.Equal("inactive", _systemd.State("winbind.service"));
        Assert.Equal(7, Run("monitor", ("services", "smbd winbindd")).ExitCode);
    }

    [Fact]
    public void Systemd_units_replace_the_default_names()
    {
        var r = Run("stop", ("systemd_units", "winbind.service, smbd.service"));
        Assert.True(r.ExitCode == 0, r.Stderr);
        Assert.Equal(["Subscribe", "StopUnit smbd.service replace", "StopUnit winbind.service replace"], _systemd.Calls);
    }

    [Fact]
    public void Start_without_ctdb_pcmkd_fails_before_starting_any_unit()
    {
        var r = Run("start");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("ctdb-pcmkd does not answer on ", r.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_systemd.Calls, c => c.StartsWith("StartUnit", StringComparison.Ordinal));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
