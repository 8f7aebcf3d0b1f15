// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.DBus;

/// <summary>Where the system bus is: the one configured, else the environment's, else the standard socket.</summary>
public static class SystemBusAddress
{
    /// <summary>The address of the system bus when nothing else is said.</summary>
    public const string Default = "unix:path=/run/dbus/system_bus_socket";

    /// <summary>The environment variable that overrides <see cref="Default"/>.</summary>
    public const string EnvironmentVariable = "DBUS_SYSTEM_BUS_ADDRESS";

    /// <summary>
    /// <paramref name="configured"/> when it is not empty, else DBUS_SYSTEM_BUS_ADDRESS when set
    /// and not empty, else <see cref="Default"/>.
    /// </summary>
    public static string Resolve(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured.Trim();
        }
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? Default : fromEnvironment.Trim();
    }
}
