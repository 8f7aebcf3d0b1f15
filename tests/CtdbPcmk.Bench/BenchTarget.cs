// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench;

/// <summary>One daemon under test: its socket, PID, the environment the ctdb tool needs, or why it is missing.</summary>
internal sealed class BenchTarget
{
    public BenchTarget(string name) => Name = name;

    public string Name { get; }

    public string? SocketPath { get; set; }

    /// <summary>PID whose VmRSS is reported (for real ctdbd: the main ctdbd process).</summary>
    public int? Pid { get; set; }

    /// <summary>Extra environment for running the real ctdb tool against this daemon (CTDB_SOCKET is set from the socket path).</summary>
    public Dictionary<string, string> ToolEnvironment { get; } = [];

    /// <summary>Set when the daemon could not be started or did not answer; every cell then shows it.</summary>
    public string? Unavailable { get; set; }
}
