// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.DBus;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Samba;

/// <summary>
/// service_manager=systemd: the daemons are Samba's own systemd units, started and stopped
/// through systemd's D-Bus API (StartUnit/StopUnit with mode "replace", waiting for each job to
/// end). The agent keeps no state file; monitor asks systemd for each unit's ActiveState and
/// probes the daemons as in direct mode. An unreachable system bus is OCF_ERR_GENERIC: it is
/// this node's trouble and may pass (dbus restarting), so Pacemaker may retry or move the
/// resource rather than ban the node as OCF_ERR_INSTALLED would.
/// </summary>
public sealed partial class SambaAgent
{
    private static readonly TimeSpan s_busTimeout = TimeSpan.FromSeconds(10);

    private static OcfExitCode StartSystemd(OcfContext context, SambaSetup setup, DateTime deadline)
    {
        var config = setup.Config;
        var probe = new IPEndPoint(ProbeAddress.Find(setup.Settings), setup.Settings.SmbPorts[0]);
        var units = config.Units(setup.Services);
        // The bus first: it fails at once, where ctdb-pcmkd may take a while to be RUNNING.
        using var bus = ConnectBus(config);
        WaitForDaemon(context, config, deadline);
        foreach (var unit in units)
        {
            Systemd(bus, deadline, $"start {unit}", m => m.StartUnit(unit));
            context.Log.Info($"systemd started {unit}");
        }
        var manager = new SystemdManager(bus, s_busTimeout);
        while (true)
        {
            var inactive = NotActive(manager, units);
            if (inactive.Count > 0)
            {
                throw OcfException.Generic($"started, but {string.Join(", ", inactive)}");
            }
            var waiting = NotReady(config, setup.Services, setup.WinbindSocket, probe);
            if (waiting.Length == 0)
            {
                context.Log.Info($"{string.Join(", ", units)} active; smbd answers on {probe}");
                return OcfExitCode.Success;
            }
            if (DateTime.UtcNow >= deadline)
            {
                throw OcfException.Generic($"not ready in time: {waiting}");
            }
            Thread.Sleep(200);
        }
    }

    private static OcfExitCode StopSystemd(OcfContext context, SambaConfig config, DateTime deadline)
    {
        var units = config.Units(ServicesForStop(config));
        using var bus = ConnectBus(config);
        foreach (var unit in units.Reverse())
        {
            try
            {
                Systemd(bus, deadline, $"stop {unit}", m => m.StopUnit(unit));
            }
            catch (OcfException e) when (e.InnerException is DBusException { ErrorName: "org.freedesktop.systemd1.NoSuchUnit" })
            {
                // A unit systemd does not know cannot be running.
            }
        }
        context.Log.Info($"systemd stopped {string.Join(", ", units.Reverse())}");
        return OcfExitCode.Success;
    }

    private static OcfExitCode MonitorSystemd(OcfContext context, SambaConfig config)
    {
        // The units' states first: a probe on a node where nothing runs needs no smb.conf.
        var units = config.Units(ServicesForStop(config));
        using var bus = ConnectBus(config);
        var manager = new SystemdManager(bus, s_busTimeout);
        var states = units.Select(u => (Unit: u, State: Systemd(bus, DateTime.UtcNow + s_busTimeout, $"ActiveState of {u}", m => m.ActiveState(u)))).ToList();
        if (states.All(s => s.State is "inactive" or "failed"))
        {
            foreach (var (unit, _) in states.Where(s => s.State == "failed"))
            {
                context.Log.Warning($"{unit} is failed");
            }
            return OcfExitCode.NotRunning;
        }
        var inactive = NotActive(manager, units);
        if (inactive.Count > 0)
        {
            throw OcfException.Generic($"partly running: {string.Join(", ", inactive)}");
        }
        var setup = SambaSetup.Load(config);
        var probe = new IPEndPoint(ProbeAddress.Find(setup.Settings), setup.Settings.SmbPorts[0]);
        var smb = SmbProbe.Negotiate(probe, config.NegotiateTimeout);
        if (!smb.Answered)
        {
            return NotServing(context, config, $"{string.Join(", ", units)} active, but smbd does not serve: {smb.Detail}");
        }
        new ClusterWait(config.StateFile, config.ClusterWait).Clear();
        if (setup.Services.Contains(SambaService.Winbindd))
        {
            var ping = WinbindPing.Ping(setup.WinbindSocket, config.NegotiateTimeout);
            if (!ping.Answered)
            {
                throw OcfException.Generic($"{string.Join(", ", units)} active, but winbindd does not answer: {ping.Detail}");
            }
        }
        context.Log.Debug($"{string.Join(", ", units)} active; {smb.Detail}");
        return OcfExitCode.Success;
    }

    /// <summary>"unit is state" for each unit that is not active.</summary>
    private static List<string> NotActive(SystemdManager manager, IReadOnlyList<string> units)
    {
        var result = new List<string>();
        foreach (var unit in units)
        {
            string state;
            try
            {
                state = manager.ActiveState(unit);
            }
            catch (DBusException e)
            {
                throw OcfException.Generic(e.Message);
            }
            if (state != "active")
            {
                result.Add($"{unit} is {state}");
            }
        }
        return result;
    }

    /// <summary>
    /// The services whose units stop and monitor look at: as given, else the default that follows
    /// smb.conf's security, else (smb.conf unreadable) every service but nmbd, which the default never includes.
    /// </summary>
    private static IReadOnlyList<SambaService> ServicesForStop(SambaConfig config)
    {
        if (config.Services is { } given)
        {
            return given;
        }
        try
        {
            return SambaServices.Default(SmbSettings.From(SmbConfReader.Load(config.ConfigFile)).Security);
        }
        catch (Exception e) when (e is SmbConfException or IOException or UnauthorizedAccessException)
        {
            return [SambaService.Winbindd, SambaService.Smbd];
        }
    }

    private static BusConnection ConnectBus(SambaConfig config)
    {
        try
        {
            return BusConnection.Connect(SystemBusAddress.Resolve(config.DBusAddress), s_busTimeout);
        }
        catch (DBusException e)
        {
            throw new OcfException(OcfExitCode.ErrGeneric, e.Message, e);
        }
    }

    /// <summary>One systemd operation with the time left until <paramref name="deadline"/>; its failure is OCF_ERR_GENERIC.</summary>
    private static T Systemd<T>(BusConnection bus, DateTime deadline, string what, Func<SystemdManager, T> operation)
    {
        var left = deadline - DateTime.UtcNow;
        var manager = new SystemdManager(bus, left > TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        try
        {
            return operation(manager);
        }
        catch (DBusException e)
        {
            throw new OcfException(OcfExitCode.ErrGeneric, $"systemd {what}: {e.Message}", e);
        }
    }

    private static void Systemd(BusConnection bus, DateTime deadline, string what, Action<SystemdManager> operation) =>
        Systemd(bus, deadline, what, m =>
        {
            operation(m);
            return true;
        });
}
