// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

/// <summary>ocf:ctdb:vip: a virtual IPv4/IPv6 address.</summary>
public sealed partial class VipAgent : OcfAgent
{
    /// <inheritdoc/>
    public override string Name => "vip";

    /// <inheritdoc/>
    public override IReadOnlyList<OcfParameter> Parameters => VipParameters.All;

    /// <inheritdoc/>
    public override string Metadata => OcfMetadataXml.Text;

    /// <inheritdoc/>
    public override OcfExitCode ValidateAll(OcfContext context)
    {
        var config = VipConfig.Parse(context.Parameters, context.Log);
        if (config.Nic is not null)
        {
            // The one host check: the interface must exist here (OCF_ERR_INSTALLED otherwise,
            // which a probe turns into "not running" on nodes without it).
            using var rt = new Linux.Netlink.RtNetlink();
            var link = InterfaceFinder.ResolveNic(config.Nic, rt.GetLinks())
                ?? throw OcfException.Installed($"interface '{config.Nic}' does not exist on this node");
            CheckLabel(config, link.Name);
        }
        return OcfExitCode.Success;
    }

    /// <summary>The IPv4 label "interface:iflabel" (null without iflabel), at most 15 characters.</summary>
    internal static string? CheckLabel(VipConfig config, string interfaceName)
    {
        if (config.Label is null)
        {
            return null;
        }
        var label = $"{interfaceName}:{config.Label}";
        if (label.Length > VipConfig.MaxNameLength)
        {
            throw OcfException.Configured($"label '{label}' is longer than {VipConfig.MaxNameLength} characters");
        }
        return label;
    }
}
