// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text;
using Tmds.DBus.Protocol;

namespace CtdbPcmk.DBus.Tests;

/// <summary>
/// A stand-in for systemd's manager on a <see cref="TestBus"/>: systemd itself is not run in
/// these tests (no systemd runs on the build host). It owns org.freedesktop.systemd1 and
/// implements only what <see cref="SystemdManager"/> uses: Manager.Subscribe, StartUnit,
/// StopUnit, RestartUnit, LoadUnit, GetUnit, the JobRemoved signal (sent only after Subscribe,
/// as systemd does), and Properties.Get of Unit.ActiveState. Every call is recorded. A job
/// goes through "activating"/"deactivating" for <see cref="JobDelay"/> before it ends.
/// </summary>
public sealed class TestSystemd : IPathMethodHandler, IDisposable
{
    private const string UnitPrefix = "/org/freedesktop/systemd1/unit/";

    private readonly DBusConnection _connection;
    private readonly Dictionary<string, string> _states = new(StringComparer.Ordinal);
    private readonly List<string> _calls = [];
    private uint _nextJob = 1;
    private bool _subscribed;

    private TestSystemd(DBusConnection connection)
    {
        _connection = connection;
    }

    /// <summary>How long a job runs before it ends (and the unit reaches its new state).</summary>
    public TimeSpan JobDelay { get; set; }

    /// <summary>Units whose start job fails (result "failed", state "failed").</summary>
    public HashSet<string> FailingUnits { get; } = new(StringComparer.Ordinal);

    /// <summary>Run when a start job ends well, before JobRemoved (a test can start a real process here).</summary>
    public Action<string>? OnStarted { get; set; }

    /// <summary>Run when a stop job runs, before JobRemoved.</summary>
    public Action<string>? OnStopped { get; set; }

    /// <summary>The calls received, as "Member arg arg" (Properties.Get as "Get path interface property").</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_calls)
            {
                return [.. _calls];
            }
        }
    }

    public string Path => "/org/freedesktop/systemd1";

    public bool HandlesChildPaths => true;

    public static TestSystemd Start(TestBus bus)
    {
        var connection = new DBusConnection(bus.Address);
        try
        {
            connection.ConnectAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            var service = new TestSystemd(connection);
            connection.AddMethodHandler(service);
            connection.RequestNameAsync(SystemdManager.BusName).WaitAsync(TimeSpan.FromSeconds(5)).GetAwaiter().GetResult();
            return service;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Sets a unit's state as if it changed by itself (a crash: "failed"; a start outside the agent: "active").</summary>
    public void SetState(string unit, string state)
    {
        lock (_states)
        {
            _states[unit] = state;
        }
    }

    public string State(string unit)
    {
        lock (_states)
        {
            return _states.GetValueOrDefault(unit, "inactive");
        }
    }

    public void ClearCalls()
    {
        lock (_calls)
        {
            _calls.Clear();
        }
    }

    /// <summary>systemd's object path of a unit: every byte that is not a letter or digit as _xx.</summary>
    public static string UnitPath(string unit)
    {
        var path = new StringBuilder(UnitPrefix);
        foreach (var b in Encoding.UTF8.GetBytes(unit))
        {
            if (char.IsAsciiLetterOrDigit((char)b))
            {
                path.Append((char)b);
            }
            else
            {
                path.Append(CultureInfo.InvariantCulture, $"_{b:x2}");
            }
        }
        return path.ToString();
    }

    public ValueTask HandleMethodAsync(MethodContext context)
    {
        var request = context.Request;
        var member = request.MemberAsString ?? "";
        var path = request.PathAsString ?? "";
        if (request.InterfaceAsString == "org.freedesktop.DBus.Properties" && member == "Get" && path.StartsWith(UnitPrefix, StringComparison.Ordinal))
        {
            var reader = request.GetBodyReader();
            var iface = reader.ReadString();
            var property = reader.ReadString();
            Record($"Get {path} {iface} {property}");
            var unit = UnitOfPath(path);
            if (iface != SystemdManager.UnitInterface || property != "ActiveState" || unit is null)
            {
                context.ReplyError("org.freedesktop.DBus.Error.UnknownProperty", $"no property {iface}.{property} here");
                return default;
            }
            using var writer = context.CreateReplyWriter("v");
            writer.WriteVariantString(State(unit));
            context.Reply(writer.CreateMessage());
            return default;
        }
        if (request.InterfaceAsString != SystemdManager.ManagerInterface || path != Path)
        {
            context.ReplyUnknownMethodError();
            return default;
        }
        switch (member)
        {
            case "Subscribe":
                Record("Subscribe");
                _subscribed = true;
                ReplyEmpty(context);
                break;
            case "LoadUnit":
            case "GetUnit":
            {
                var unit = request.GetBodyReader().ReadString();
                Record($"{member} {unit}");
                lock (_states)
                {
                    if (member == "GetUnit" && !_states.ContainsKey(unit))
                    {
                        context.ReplyError("org.freedesktop.systemd1.NoSuchUnit", $"Unit {unit} not loaded.");
                        break;
                    }
                    _states.TryAdd(unit, "inactive");
                }
                ReplyPath(context, UnitPath(unit));
                break;
            }
            case "StartUnit":
            case "StopUnit":
            case "RestartUnit":
            {
                var reader = request.GetBodyReader();
                var unit = reader.ReadString();
                var mode = reader.ReadString();
                Record($"{member} {unit} {mode}");
                RunJob(context, member, unit);
                break;
            }
            default:
                context.ReplyUnknownMethodError();
                break;
        }
        return default;
    }

    private void RunJob(MethodContext context, string member, string unit)
    {
        uint id;
        lock (_states)
        {
            id = _nextJob++;
            _states[unit] = member == "StopUnit" ? "deactivating" : "activating";
        }
        var job = $"/org/freedesktop/systemd1/job/{id}";
        ReplyPath(context, job);
        var finish = () =>
        {
            string result;
            if (member == "StopUnit")
            {
                OnStopped?.Invoke(unit);
                SetState(unit, "inactive");
                result = "done";
            }
            else if (FailingUnits.Contains(unit))
            {
                SetState(unit, "failed");
                result = "failed";
            }
            else
            {
                if (member == "RestartUnit")
                {
                    OnStopped?.Invoke(unit);
                }
                OnStarted?.Invoke(unit);
                SetState(unit, "active");
                result = "done";
            }
            if (_subscribed)
            {
                EmitJobRemoved(id, job, unit, result);
            }
        };
        if (JobDelay <= TimeSpan.Zero)
        {
            finish();
        }
        else
        {
            _ = Task.Delay(JobDelay).ContinueWith(_ => finish(), TaskScheduler.Default);
        }
    }

    private void EmitJobRemoved(uint id, string job, string unit, string result)
    {
        using var writer = _connection.GetMessageWriter();
        writer.WriteSignalHeader(null, Path, SystemdManager.ManagerInterface, "JobRemoved", "uoss");
        writer.WriteUInt32(id);
        writer.WriteObjectPath(job);
        writer.WriteString(unit);
        writer.WriteString(result);
        _connection.TrySendMessage(writer.CreateMessage());
    }

    private static string? UnitOfPath(string path)
    {
        var escaped = path[UnitPrefix.Length..];
        var bytes = new List<byte>();
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] == '_' && i + 2 < escaped.Length && byte.TryParse(escaped.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.Add((byte)escaped[i]);
            }
        }
        return bytes.Count == 0 ? null : Encoding.UTF8.GetString([.. bytes]);
    }

    private static void ReplyEmpty(MethodContext context)
    {
        using var writer = context.CreateReplyWriter(null);
        context.Reply(writer.CreateMessage());
    }

    private static void ReplyPath(MethodContext context, string path)
    {
        using var writer = context.CreateReplyWriter("o");
        writer.WriteObjectPath(path);
        context.Reply(writer.CreateMessage());
    }

    private void Record(string call)
    {
        lock (_calls)
        {
            _calls.Add(call);
        }
    }

    public void Dispose() => _connection.Dispose();
}
