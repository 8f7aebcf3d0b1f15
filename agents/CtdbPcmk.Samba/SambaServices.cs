// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Samba;

/// <summary>The services parameter: names, parsing and the default that follows smb.conf.</summary>
internal static class SambaServices
{
    public static string Name(SambaService service) => service switch
    {
        SambaService.Smbd => "smbd",
        SambaService.Nmbd => "nmbd",
        _ => "winbindd",
    };

    public static SambaService? FromName(string name) => name switch
    {
        "smbd" => SambaService.Smbd,
        "nmbd" => SambaService.Nmbd,
        "winbindd" => SambaService.Winbindd,
        _ => null,
    };

    /// <summary>
    /// Parses a comma or blank separated list; null when empty (the default applies). smbd must
    /// be one of them: the resource is the file server.
    /// </summary>
    public static IReadOnlyList<SambaService>? Parse(string text)
    {
        var names = text.Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0)
        {
            return null;
        }
        var list = new List<SambaService>();
        foreach (var name in names)
        {
            var service = FromName(name.ToLowerInvariant())
                ?? throw OcfException.Configured($"{SambaParameters.Services}: unknown service '{name}' (expected smbd, nmbd, winbindd)");
            if (!list.Contains(service))
            {
                list.Add(service);
            }
        }
        if (!list.Contains(SambaService.Smbd))
        {
            throw OcfException.Configured($"{SambaParameters.Services} '{text}' does not include smbd");
        }
        // Started winbindd, nmbd, smbd (winbindd answers smbd's lookups), stopped in reverse.
        return [.. list.OrderByDescending(s => (int)s)];
    }

    /// <summary>smbd, with winbindd first when the server is a domain member (security ads or domain).</summary>
    public static IReadOnlyList<SambaService> Default(string security) =>
        security.Equals("ads", StringComparison.OrdinalIgnoreCase) || security.Equals("domain", StringComparison.OrdinalIgnoreCase)
            ? [SambaService.Winbindd, SambaService.Smbd]
            : [SambaService.Smbd];
}
