// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Health;

/// <summary>What <see cref="NodeHealth.Check"/> looks at.</summary>
public sealed record HealthOptions
{
    /// <summary>Memory limits (0:0 switches the check off).</summary>
    public Thresholds Memory { get; init; } = new(80, 90);

    /// <summary>The meminfo file (tests give a fake one).</summary>
    public string MeminfoPath { get; init; } = MemoryCheck.ProcMeminfo;

    /// <summary>File systems to check.</summary>
    public IReadOnlyList<FilesystemLimit> Filesystems { get; init; } = [];

    /// <summary>The daemon's socket, or null to leave the daemon out.</summary>
    public string? DaemonSocket { get; init; }

    /// <summary>How long one request to the daemon may take.</summary>
    public TimeSpan DaemonTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
