// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Health;

/// <summary>All checks of a node: the worst colour wins and every reason is kept.</summary>
public static class NodeHealth
{
    /// <summary>Runs the checks the options ask for.</summary>
    public static HealthResult Check(HealthOptions options)
    {
        var results = new List<HealthResult>();
        if (options.Memory.Warn > 0 || options.Memory.Critical > 0)
        {
            results.Add(MemoryCheck.Run(options.Memory, options.MeminfoPath));
        }
        results.Add(FilesystemCheck.Run(options.Filesystems));
        if (options.DaemonSocket is not null)
        {
            results.Add(DaemonCheck.Run(options.DaemonSocket, options.DaemonTimeout));
        }
        return HealthResult.Combine(results);
    }
}
