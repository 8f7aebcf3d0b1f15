// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;
using P = CtdbPcmk.Samba.SambaParameters;

namespace CtdbPcmk.Samba;

/// <summary>The parameters service_manager and systemd_units: parsing and the default units.</summary>
internal static class SystemdUnits
{
    public static SambaServiceManager ParseManager(string text) => text.Trim().ToLowerInvariant() switch
    {
        "" or "direct" => SambaServiceManager.Direct,
        "systemd" => SambaServiceManager.Systemd,
        _ => throw OcfException.Configured($"{P.ServiceManager} '{text}' is neither 'direct' nor 'systemd'"),
    };

    /// <summary>The unit of a service as Samba's packages on RHEL, SUSE and Fedora name them.</summary>
    public static string Unit(SambaService service) => service switch
    {
        SambaService.Smbd => "smb.service",
        SambaService.Nmbd => "nmb.service",
        _ => "winbind.service",
    };

    /// <summary>The units of the services, in their start order.</summary>
    public static IReadOnlyList<string> Default(IReadOnlyList<SambaService> services) => [.. services.Select(Unit)];

    /// <summary>A comma or blank separated list of unit names in start order; null when empty (the default applies).</summary>
    public static IReadOnlyList<string>? Parse(string text)
    {
        var names = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            return null;
        }
        var units = new List<string>();
        foreach (var name in names)
        {
            if (!IsUnitName(name))
            {
                throw OcfException.Configured($"{P.SystemdUnits}: '{name}' is not a systemd service unit name (such as smb.service)");
            }
            if (!units.Contains(name))
            {
                units.Add(name);
            }
        }
        return units;
    }

    /// <summary>systemd's characters for unit names (letters, digits, ":-_.\@"), ending in .service, at most 255 bytes.</summary>
    private static bool IsUnitName(string name) =>
        name.Length is > 8 and <= 255
        && name.EndsWith(".service", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is ':' or '-' or '_' or '.' or '\\' or '@');
}
