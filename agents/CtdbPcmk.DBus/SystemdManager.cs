// SPDX-License-Identifier: GPL-3.0-or-later
using Tmds.DBus.Protocol;

namespace CtdbPcmk.DBus;

/// <summary>
/// systemd's manager on the system bus (org.freedesktop.systemd1, /org/freedesktop/systemd1):
/// start, stop and restart units and wait for their jobs, and read a unit's ActiveState.
/// </summary>
/// <remarks>
/// A job is waited for through the manager's JobRemoved signal (after Subscribe, which makes
/// systemd send it): the match is in place before the start or stop call is sent, so the signal
/// cannot be missed however quickly the job ends. Its result ("done", "failed", "timeout",
/// "canceled", "dependency", "skipped") says whether the job did what was asked.
/// </remarks>
public sealed class SystemdManager
{
    public const string BusName = "org.freedesktop.systemd1";
    public const string ObjectPath = "/org/freedesktop/systemd1";
    public const string ManagerInterface = "org.freedesktop.systemd1.Manager";
    public const string UnitInterface = "org.freedesktop.systemd1.Unit";

    /// <summary>The job mode of start, stop and restart: replace a conflicting queued job.</summary>
    public const string JobMode = "replace";

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(100);

    private readonly BusConnection _bus;
    private readonly TimeSpan _timeout;

    /// <param name="bus">The system bus.</param>
    /// <param name="timeout">How long each call may wait for its reply, and a job for its end.</param>
    public SystemdManager(BusConnection bus, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(bus);
        _bus = bus;
        _timeout = timeout;
    }

    /// <summary>StartUnit(unit, "replace") and waits until the job is done.</summary>
    public void StartUnit(string unit) => RunJob("StartUnit", unit);

    /// <summary>StopUnit(unit, "replace") and waits until the job is done.</summary>
    public void StopUnit(string unit) => RunJob("StopUnit", unit);

    /// <summary>RestartUnit(unit, "replace") and waits until the job is done.</summary>
    public void RestartUnit(string unit) => RunJob("RestartUnit", unit);

    /// <summary>The unit's ActiveState ("active", "inactive", "failed", "activating", ...), loading it first (LoadUnit).</summary>
    public string ActiveState(string unit)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        var path = UnitPath(unit);
        using var writer = _bus.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, path, "org.freedesktop.DBus.Properties", "Get", "ss", MessageFlags.None);
        writer.WriteString(UnitInterface);
        writer.WriteString("ActiveState");
        return _bus.Call(writer.CreateMessage(), static (message, _) =>
        {
            var reader = message.GetBodyReader();
            reader.ReadSignature("s");
            return reader.ReadString();
        }, _timeout, $"{BusName} ActiveState of {unit}");
    }

    /// <summary>Polls ActiveState until it is <paramref name="state"/>; false when it is not by <paramref name="timeout"/>.</summary>
    public bool WaitForState(string unit, string state, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (ActiveState(unit) == state)
            {
                return true;
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                return false;
            }
            Thread.Sleep(left < s_pollInterval ? left : s_pollInterval);
        }
    }

    private string UnitPath(string unit)
    {
        using var writer = _bus.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, ObjectPath, ManagerInterface, "LoadUnit", "s", MessageFlags.None);
        writer.WriteString(unit);
        return _bus.Call(writer.CreateMessage(), static (message, _) => message.GetBodyReader().ReadObjectPathAsString(),
            _timeout, $"{BusName} {ManagerInterface}.LoadUnit {unit}");
    }

    private void RunJob(string method, string unit)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        var what = $"{BusName} {ManagerInterface}.{method} {unit}";
        using var jobs = new JobWatch();
        using var watch = _bus.Wait(_bus.Inner.WatchSignalAsync(BusName, ObjectPath, ManagerInterface, "JobRemoved",
            static (message, _) =>
            {
                var reader = message.GetBodyReader();
                reader.ReadUInt32();
                var job = reader.ReadObjectPathAsString();
                reader.ReadString();
                return (Job: job, Result: reader.ReadString());
            },
            jobs.Removed, ObserverFlags.EmitOnConnectionClosed, emitOnCapturedContext: false).AsTask(), _timeout, $"{what}: watching JobRemoved");
        Subscribe();

        using var writer = _bus.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, ObjectPath, ManagerInterface, method, "ss", MessageFlags.None);
        writer.WriteString(unit);
        writer.WriteString(JobMode);
        var job = _bus.Call(writer.CreateMessage(), static (message, _) => message.GetBodyReader().ReadObjectPathAsString(), _timeout, what);
        var result = jobs.WaitFor(job, _timeout)
            ?? throw new DBusException($"{what}: job {job} did not finish within {_timeout.TotalSeconds:0.#} s");
        if (result != "done")
        {
            throw new DBusException($"{what}: job {job} ended with result '{result}'");
        }
    }

    /// <summary>Manager.Subscribe, once per connection: systemd sends JobRemoved only to subscribed clients.</summary>
    private void Subscribe()
    {
        if (_bus.SubscribedToSystemd)
        {
            return;
        }
        using var writer = _bus.GetMessageWriter();
        writer.WriteMethodCallHeader(BusName, ObjectPath, ManagerInterface, "Subscribe", null, MessageFlags.None);
        try
        {
            _bus.Call(writer.CreateMessage(), static (_, _) => true, _timeout, $"{BusName} {ManagerInterface}.Subscribe");
        }
        catch (DBusException e) when (e.ErrorName == "org.freedesktop.systemd1.AlreadySubscribed")
        {
            // Subscribed already through this connection by other means.
        }
        _bus.SubscribedToSystemd = true;
    }
}
