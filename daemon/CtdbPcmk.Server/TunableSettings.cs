// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;
using CtdbPcmk.Transport;

namespace CtdbPcmk.Server;

/// <summary>
/// The tunables: defaults, the configured values, and the GET/SET/LIST controls. Subsystems
/// read a value by name when they need it; the node links get theirs pushed into
/// <see cref="Links"/> whenever an administrator changes them.
/// </summary>
internal sealed class TunableSettings
{
    private readonly TunableList _values = TunableList.CreateDefaults();
    private readonly Serilog.ILogger _log;

    /// <summary>Sets the configured values; an unknown name throws <see cref="ArgumentException"/>.</summary>
    public TunableSettings(IReadOnlyDictionary<string, uint> configured, Serilog.ILogger log)
    {
        _log = log;
        foreach (var (name, value) in configured)
        {
            if (!_values.TrySet(name, value, out _))
            {
                throw new ArgumentException($"unknown tunable {name}");
            }
        }
        UpdateLinks();
    }

    /// <summary>Keepalive settings of the node links, kept equal to the tunables.</summary>
    public NodeLinkSettings Links { get; } = new();

    /// <summary>The value of a tunable known to exist (a misspelt name is a programming error).</summary>
    public uint Get(string name) =>
        _values.TryGet(name, out uint v) ? v : throw new ArgumentException($"unknown tunable {name}");

    public ControlReply GetTunable(ReadOnlySpan<byte> data)
    {
        string name = StringN.Read(data);
        return _values.TryGet(name, out uint value) ? ControlData.U32(value) : new ControlReply(-22);
    }

    public ControlReply SetTunable(ReadOnlySpan<byte> data)
    {
        var t = TunableValue.Read(data);
        if (!_values.TrySet(t.Name, t.Value, out bool obsolete))
        {
            return ControlReply.Fail;
        }
        _log.Information("Tunable {Name} set to {Value}", t.Name, t.Value);
        UpdateLinks();
        return new ControlReply(obsolete ? 1 : 0);
    }

    public static ControlReply ListTunables()
    {
        var list = Tunables.Names;
        var data = new byte[list.EncodedSize];
        list.Write(data);
        return ControlReply.WithData(data);
    }

    public ControlReply GetAllTunables()
    {
        var data = new byte[TunableList.Size];
        _values.Write(data);
        return ControlReply.WithData(data);
    }

    private void UpdateLinks()
    {
        Links.KeepaliveInterval = TimeSpan.FromSeconds(Math.Max(1u, Get("KeepaliveInterval")));
        Links.KeepaliveLimit = (int)Math.Clamp(Get("KeepaliveLimit"), 1u, int.MaxValue);
    }
}
