// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Health;
using CtdbPcmk.Ocf;
using P = CtdbPcmk.HealthOcf.HealthParameters;

namespace CtdbPcmk.HealthOcf;

/// <summary>The parameters of one health resource, checked for syntax (errors are OCF_ERR_CONFIGURED).</summary>
internal sealed record HealthConfig(HealthOptions Options, string Attribute, string? Dampen, string AttrdUpdater)
{
    public static HealthConfig Parse(OcfParameters p)
    {
        Thresholds memory;
        IReadOnlyList<FilesystemLimit> filesystems;
        try
        {
            memory = Thresholds.Create(p.GetInt32(P.MemoryWarn, 0, 100) ?? 0, p.GetInt32(P.MemoryCritical, 0, 100) ?? 0);
        }
        catch (FormatException e)
        {
            throw OcfException.Configured($"{P.MemoryWarn}/{P.MemoryCritical}: {e.Message}");
        }
        try
        {
            var defaults = Thresholds.Create(p.GetInt32(P.FilesystemWarn, 0, 100) ?? 0, p.GetInt32(P.FilesystemCritical, 0, 100) ?? 0);
            filesystems = FilesystemLimit.ParseList(p.GetString(P.Filesystems), defaults);
        }
        catch (FormatException e)
        {
            throw OcfException.Configured($"{P.Filesystems}: {e.Message}");
        }
        string? socket = null;
        if (p.GetBoolean(P.CheckDaemon))
        {
            socket = p.GetString(P.Socket);
            if (!socket.StartsWith('/'))
            {
                throw OcfException.Configured($"{P.Socket} '{socket}' is not an absolute path");
            }
        }
        var timeout = p.GetInt32(P.Timeout, 1, 3600) ?? 5;
        var meminfo = p.GetString(P.Meminfo);
        if (!meminfo.StartsWith('/'))
        {
            throw OcfException.Configured($"{P.Meminfo} '{meminfo}' is not an absolute path");
        }
        var attribute = p.GetString(P.Attribute).Trim();
        if (!attribute.StartsWith("#health", StringComparison.Ordinal) || attribute.Any(char.IsWhiteSpace))
        {
            throw OcfException.Configured($"{P.Attribute} '{attribute}' must be a node health attribute name (#health-NAME, no blanks)");
        }
        var dampen = p.GetString(P.Dampen).Trim();
        if (dampen.Length == 0 || !dampen.All(c => char.IsAsciiLetterOrDigit(c)) || !char.IsAsciiDigit(dampen[0]))
        {
            throw OcfException.Configured($"{P.Dampen} '{dampen}' is not a time (e.g. 0, 5s, 1min)");
        }
        var updater = p.GetString(P.AttrdUpdater).Trim();
        if (updater.Length == 0)
        {
            throw OcfException.Configured($"parameter '{P.AttrdUpdater}' is required");
        }
        var options = new HealthOptions
        {
            Memory = memory,
            MeminfoPath = meminfo,
            Filesystems = filesystems,
            DaemonSocket = socket,
            DaemonTimeout = TimeSpan.FromSeconds(timeout),
        };
        return new HealthConfig(options, attribute, dampen.TrimStart('0').Length == 0 ? null : dampen, updater);
    }
}
