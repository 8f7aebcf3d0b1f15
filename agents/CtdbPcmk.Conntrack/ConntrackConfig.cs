// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using CtdbPcmk.Ocf;
using CtdbPcmk.Portblock;
using P = CtdbPcmk.Conntrack.ConntrackParameters;

namespace CtdbPcmk.Conntrack;

/// <summary>The validated configuration of the conntrack agent and of the tracker it starts.</summary>
internal sealed record ConntrackConfig(
    string CtdbSocket,
    IReadOnlyList<IPAddress> Addresses,
    PortList? Ports,
    TimeSpan CommitInterval,
    int MaxConnections,
    string ControlSocket,
    string StateDir,
    ConntrackdSettings? Conntrackd)
{
    /// <summary>The tracker's PID file.</summary>
    public string PidFile => Path.Combine(StateDir, "conntrack-tracker.pid");

    /// <summary>Where the tracker's output goes.</summary>
    public string LogFile => Path.Combine(StateDir, "conntrack-tracker.log");

    /// <summary>Whether connections to <paramref name="port"/> are tracked.</summary>
    public bool TracksPort(int port) => Ports is null || Ports.Contains(port);

    /// <summary>Parses and checks every parameter; any error ends the action with OCF_ERR_CONFIGURED.</summary>
    public static ConntrackConfig Parse(OcfParameters parameters)
    {
        var addresses = new List<IPAddress>();
        foreach (var word in parameters.GetString(P.Addresses).Split([',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!IPAddress.TryParse(word, out var address) || word.Contains('/'))
            {
                throw OcfException.Configured($"addresses: '{word}' is not an IPv4 or IPv6 address");
            }
            addresses.Add(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
        }

        PortList? ports = null;
        var portText = parameters.GetString(P.Ports);
        if (portText.Length > 0 && !PortList.TryParse(portText, out ports, out var portError))
        {
            throw OcfException.Configured($"ports '{portText}': {portError}");
        }

        var intervalText = parameters.GetString(P.CommitInterval);
        if (!double.TryParse(intervalText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds > 3600)
        {
            throw OcfException.Configured($"commit_interval '{intervalText}' is not a number of seconds from 0 to 3600");
        }

        var max = parameters.GetInt32(P.MaxConnections, 1, 100_000_000) ?? 200_000;
        var control = parameters.GetString(P.ControlSocket);
        if (!Path.IsPathRooted(control))
        {
            throw OcfException.Configured($"control_socket '{control}' is not an absolute path");
        }
        var stateDir = parameters.GetString(P.StateDir);
        if (!Path.IsPathRooted(stateDir))
        {
            throw OcfException.Configured($"state_dir '{stateDir}' is not an absolute path");
        }

        var conntrackd = parameters.GetBoolean(P.Conntrackd) ? ConntrackdSettings.Parse(parameters, stateDir) : null;
        return new ConntrackConfig(
            parameters.GetString(P.CtdbSocket),
            addresses,
            ports,
            TimeSpan.FromSeconds(seconds),
            max,
            control,
            stateDir,
            conntrackd);
    }
}
