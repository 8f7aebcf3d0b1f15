// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.HealthOcf;

/// <summary>The parameters of ocf:ctdb:health, declared once (checked against ocf-metadata/health.xml).</summary>
internal static class HealthParameters
{
    public const string MemoryWarn = "memory_warn";
    public const string MemoryCritical = "memory_critical";
    public const string Filesystems = "filesystems";
    public const string FilesystemWarn = "filesystem_warn";
    public const string FilesystemCritical = "filesystem_critical";
    public const string CheckDaemon = "check_daemon";
    public const string Socket = "ctdb_socket";
    public const string Timeout = "ctdb_timeout";
    public const string Attribute = "attribute";
    public const string Dampen = "dampen";
    public const string AttrdUpdater = "attrd_updater";
    public const string Meminfo = "meminfo";

    public static IReadOnlyList<OcfParameter> All { get; } =
    [
        new(MemoryWarn, OcfParameterType.Integer, "80"),
        new(MemoryCritical, OcfParameterType.Integer, "90"),
        new(Filesystems, OcfParameterType.String, "/var/lib/ctdb"),
        new(FilesystemWarn, OcfParameterType.Integer, "90"),
        new(FilesystemCritical, OcfParameterType.Integer, "95"),
        new(CheckDaemon, OcfParameterType.Boolean, "true"),
        new(Socket, OcfParameterType.String, "/run/ctdb/ctdbd.socket"),
        new(Timeout, OcfParameterType.Integer, "5"),
        new(Attribute, OcfParameterType.String, "#health-ctdb"),
        new(Dampen, OcfParameterType.String, "0"),
        new(AttrdUpdater, OcfParameterType.String, "attrd_updater"),
        new(Meminfo, OcfParameterType.String, "/proc/meminfo"),
    ];
}
