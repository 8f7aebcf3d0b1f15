// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack;

/// <summary>The conntrackd part of the configuration (conntrackd=true).</summary>
internal sealed record ConntrackdSettings(string? ConfigFile, string? Interface, string Group, int Port, string StateDir)
{
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
        return new ConntrackdSettings(file.Length == 0 ? null : file, iface.Length == 0 ? null : iface, group, port, stateDir);
    }
}
