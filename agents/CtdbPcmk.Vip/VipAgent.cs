// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

/// <summary>ocf:ctdb:vip: a virtual IPv4/IPv6 address.</summary>
public sealed partial class VipAgent : OcfAgent
{
    private static readonly Lazy<string> s_metadata = new(() => LoadMetadata(typeof(VipAgent).Assembly, "vip.xml"));

    /// <inheritdoc/>
    public override string Name => "vip";

    /// <inheritdoc/>
    public override IReadOnlyList<OcfParameter> Parameters => VipParameters.All;

    /// <inheritdoc/>
    public override string Metadata => s_metadata.Value;

    /// <inheritdoc/>
    public override OcfExitCode ValidateAll(OcfContext context)
    {
        VipConfig.Parse(context.Parameters, context.Log);
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Start(OcfContext context) =>
        throw new OcfException(OcfExitCode.ErrUnimplemented, "start is not available in this build");

    /// <inheritdoc/>
    public override OcfExitCode Stop(OcfContext context) =>
        throw new OcfException(OcfExitCode.ErrUnimplemented, "stop is not available in this build");

    /// <inheritdoc/>
    public override OcfExitCode Monitor(OcfContext context) =>
        throw new OcfException(OcfExitCode.ErrUnimplemented, "monitor is not available in this build");
}
