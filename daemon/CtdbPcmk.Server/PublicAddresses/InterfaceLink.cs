// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Server.PublicAddresses;

/// <summary>Link state of a network interface as sysfs shows it (what GET_IFACES reports as up or down).</summary>
internal static class InterfaceLink
{
    /// <summary>
    /// 1 when the interface has carrier (or, where carrier cannot be read, its operational state
    /// is up or unknown, as for loopback and some virtual devices), else 0.
    /// </summary>
    public static ushort State(string iface)
    {
        if (iface.Length == 0 || iface.Contains('/') || iface is "." or "..")
        {
            return 0;
        }
        string dir = Path.Combine("/sys/class/net", iface);
        try
        {
            string carrier = File.ReadAllText(Path.Combine(dir, "carrier")).Trim();
            return carrier == "1" ? (ushort)1 : (ushort)0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A down interface refuses to report carrier (EINVAL); operstate still answers.
        }
        try
        {
            string state = File.ReadAllText(Path.Combine(dir, "operstate")).Trim();
            return state is "up" or "unknown" ? (ushort)1 : (ushort)0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }
}
