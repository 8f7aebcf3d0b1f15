// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack;

/// <summary>The conntrackd part of the configuration (conntrackd=true).</summary>
internal sealed record ConntrackdSettings(string? ConfigFile, string? Interface, string Group, int Port, string StateDir)
{
    /// <summary>The longest path a Unix socket address holds (sun_path without its terminating NUL).</summary>
    internal const int MaxSocketPath = 107;

    /// <summary>Parses the conntrackd_* parameters; errors end the action with OCF_ERR_CONFIGURED.</summary>
    public static ConntrackdSettings Parse(OcfParameters parameters, string stateDir)
    {
        var file = parameters.GetString(ConntrackParameters.ConntrackdConfig);
        var iface = parameters.GetString(ConntrackParameters.ConntrackdInterface);
        if (file.Length == 0 && iface.Length == 0)
        {
            throw OcfException.Configured("conntrackd=true needs conntrackd_config or conntrackd_interface");
        }
        var group = parameters.GetString(ConntrackParameters.ConntrackdGroup);
        var port = parameters.GetInt32(ConntrackParameters.ConntrackdPort, 1, 65535) ?? 3780;
        if (file.Length > 0)
        {
            if (!Path.IsPathRooted(file))
            {
                throw OcfException.Configured($"conntrackd_config '{file}' is not an absolute path");
            }
        }
        else
        {
            CheckGenerated(iface, group, stateDir);
        }
        return new ConntrackdSettings(file.Length == 0 ? null : file, iface.Length == 0 ? null : iface, group, port, stateDir);
    }

    /// <summary>
    /// The values that go into a generated conntrackd.conf must be single words of its syntax:
    /// no blanks, quotes, braces or comment signs, and the control socket must fit sun_path.
    /// </summary>
    private static void CheckGenerated(string iface, string group, string stateDir)
    {
        if (!IsInterfaceWord(iface))
        {
            throw OcfException.Configured($"conntrackd_interface '{iface}' cannot be written into a conntrackd configuration: "
                + "it takes names of up to 15 letters, digits, '.', '-' and '_' that start with a letter and are not 1 to 4 hex digits "
                + "(read as an address); use conntrackd_config");
        }
        if (!IPAddress.TryParse(group, out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || (address.GetAddressBytes()[0] & 0xf0) != 0xe0 || group.Count(c => c == '.') != 3)
        {
            throw OcfException.Configured($"conntrackd_group '{group}' is not an IPv4 multicast address");
        }
        if (!IsWord(stateDir))
        {
            throw OcfException.Configured($"state_dir '{stateDir}' cannot be written into a conntrackd configuration (blanks, quotes, braces or '#')");
        }
        var socket = Path.Combine(stateDir, ConntrackdConfigWriter.SocketName);
        if (socket.Length > MaxSocketPath)
        {
            throw OcfException.Configured($"state_dir '{stateDir}' is too long for conntrackd's control socket ({socket.Length} > {MaxSocketPath} characters)");
        }
    }

    /// <summary>
    /// An interface name conntrackd's configuration reader takes as a name: a letter, then
    /// letters, digits, '.', '-' or '_'; 1 to 4 hex digits alone ("eth" is fine, "d0" is not) it
    /// reads as part of an IPv6 address and rejects.
    /// </summary>
    internal static bool IsInterfaceWord(string name) =>
        name.Length is > 0 and <= 15
        && char.IsAsciiLetter(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_')
        && !(name.Length <= 4 && name.All(char.IsAsciiHexDigit));

    private static bool IsWord(string text) =>
        text.Length > 0 && !text.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '{' or '}' or '#');
}
