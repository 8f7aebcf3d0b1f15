// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Text;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Nfs;

/// <summary>
/// What start recorded (one file per ganesha.conf path under HA_RSCTMP): the process, where it
/// answers NFS and D-Bus, and a problem found by a notification for monitor to report. Lines of
/// "key=value", written to a temporary file and renamed.
/// </summary>
internal sealed class NfsState
{
    public required string Config { get; init; }

    public required TrackedProcess Process { get; init; }

    public required IPEndPoint Probe { get; init; }

    public required string BusAddress { get; init; }

    /// <summary>Set by a notification that found the RecoveryRoot not shared; monitor fails with it.</summary>
    public string Problem { get; set; } = "";

    public string Render()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"config={Config}\n");
        text.Append(CultureInfo.InvariantCulture, $"process={StateFile.Format(Process)}\n");
        text.Append(CultureInfo.InvariantCulture, $"probe={Probe}\n");
        text.Append(CultureInfo.InvariantCulture, $"bus={BusAddress}\n");
        text.Append(CultureInfo.InvariantCulture, $"problem={Problem.ReplaceLineEndings(" ")}\n");
        return text.ToString();
    }

    /// <summary>Parses a state file's text; <see cref="InvalidDataException"/> when it is damaged.</summary>
    public static NfsState Parse(string text)
    {
        var values = StateFile.ParseValues(text);
        string Value(string key) => values.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"no {key}");
        if (!IPEndPoint.TryParse(Value("probe"), out var probe))
        {
            throw new InvalidDataException($"bad probe '{Value("probe")}'");
        }
        return new NfsState
        {
            Config = Value("config"),
            Process = StateFile.ParseProcess(Value("process")),
            Probe = probe,
            BusAddress = Value("bus"),
            Problem = values.GetValueOrDefault("problem") ?? "",
        };
    }

    /// <summary>Reads the state file; null when there is none.</summary>
    public static NfsState? Load(string path) => StateFile.Load(path, Parse);

    public void Save(string path) => StateFile.Save(path, Render());
}
