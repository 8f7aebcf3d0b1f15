// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Text;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Samba;

/// <summary>
/// What start recorded for one configuration (one file per smb.conf path under HA_RSCTMP):
/// the PID and start time of every daemon it started, and where monitor and stop probe them,
/// so that neither needs to read smb.conf again or look processes up by name. Lines of
/// "key=value"; written to a temporary file and renamed, so a reader never sees half of it.
/// </summary>
internal sealed class InstanceState
{
    public required string Config { get; init; }

    public required IPEndPoint Probe { get; init; }

    /// <summary>All smb ports of smb.conf (stop waits until none of them listens on the probe address).</summary>
    public required IReadOnlyList<int> SmbPorts { get; init; }

    public required string WinbindSocket { get; init; }

    public required string PidDirectory { get; init; }

    /// <summary>The managed services, in start order.</summary>
    public required IReadOnlyList<SambaService> Services { get; init; }

    /// <summary>The started processes; a service is missing here until its process is started.</summary>
    public Dictionary<SambaService, TrackedProcess> Processes { get; } = [];

    /// <summary>The state file of <paramref name="config"/> in <paramref name="directory"/>.</summary>
    public static string PathFor(string directory, string config)
    {
        var name = new StringBuilder("samba");
        foreach (var c in config)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' ? c : '_');
        }
        // The escaped name alone could be shared by two paths ("a_b" and "a/b").
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(config))
        {
            hash = (hash ^ b) * 16777619u;
        }
        name.Append(CultureInfo.InvariantCulture, $"-{hash:x8}.state");
        return Path.Combine(directory, name.ToString());
    }

    public string Render()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"config={Config}\n");
        text.Append(CultureInfo.InvariantCulture, $"probe={Probe}\n");
        text.Append(CultureInfo.InvariantCulture, $"smb_ports={string.Join(' ', SmbPorts)}\n");
        text.Append(CultureInfo.InvariantCulture, $"winbind_socket={WinbindSocket}\n");
        text.Append(CultureInfo.InvariantCulture, $"pid_directory={PidDirectory}\n");
        text.Append(CultureInfo.InvariantCulture, $"services={string.Join(' ', Services.Select(SambaServices.Name))}\n");
        foreach (var (service, process) in Processes.OrderBy(p => p.Key))
        {
            text.Append(CultureInfo.InvariantCulture, $"{SambaServices.Name(service)}={process.Pid} {process.StartTime}\n");
        }
        return text.ToString();
    }

    /// <summary>Parses a state file's text; <see cref="InvalidDataException"/> when it is damaged.</summary>
    public static InstanceState Parse(string text)
    {
        var values = StateFile.ParseValues(text);
        string Value(string key) => values.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"no {key}");
        if (!IPEndPoint.TryParse(Value("probe"), out var probe))
        {
            throw new InvalidDataException($"bad probe '{Value("probe")}'");
        }
        var services = Value("services").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(n => SambaServices.FromName(n) ?? throw new InvalidDataException($"unknown service '{n}'")).ToList();
        var ports = Value("smb_ports").Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : throw new InvalidDataException($"bad port '{p}'")).ToList();
        var state = new InstanceState
        {
            Config = Value("config"),
            Probe = probe,
            SmbPorts = ports,
            WinbindSocket = Value("winbind_socket"),
            PidDirectory = Value("pid_directory"),
            Services = services,
        };
        foreach (var service in services)
        {
            if (values.TryGetValue(SambaServices.Name(service), out var recorded))
            {
                state.Processes[service] = StateFile.ParseProcess(recorded);
            }
        }
        return state;
    }

    /// <summary>Reads the state file; null when there is none.</summary>
    public static InstanceState? Load(string path) => StateFile.Load(path, Parse);

    public void Save(string path) => StateFile.Save(path, Render());
}
