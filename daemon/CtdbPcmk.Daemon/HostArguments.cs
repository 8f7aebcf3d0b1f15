// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Daemon;

/// <summary>The daemon's command line, parsed; null means "not given".</summary>
internal sealed record HostArguments
{
    public string ConfigFile { get; init; } = Config.CtdbConf.DefaultPath;
    public string? NodesFile { get; init; }
    public string? Socket { get; init; }
    public string? NodeAddress { get; init; }
    public bool Leader { get; init; }
    public string? LogLevel { get; init; }
    public string? PidFile { get; init; }
}
