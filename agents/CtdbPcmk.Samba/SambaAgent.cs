// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Samba;

/// <summary>
/// ocf:ctdb:samba: smbd (and optionally nmbd and winbindd) of a clustered Samba whose smb.conf
/// points at ctdb-pcmkd. Run as a clone: every node serves the same shares. Pacemaker starts
/// the daemons through this agent, so Samba's own service units must be disabled.
/// </summary>
public sealed partial class SambaAgent : OcfAgent
{
    private static readonly TimeSpan s_daemonTimeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc/>
    public override string Name => "samba";

    /// <inheritdoc/>
    public override IReadOnlyList<OcfParameter> Parameters => SambaParameters.All;

    /// <inheritdoc/>
    public override string Metadata => OcfMetadataXml.Text;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> OptionalActions => ["reload-agent"];

    /// <inheritdoc/>
    public override OcfExitCode ValidateAll(OcfContext context)
    {
        var setup = SambaSetup.Load(SambaConfig.Parse(context.Parameters, context.Environment));
        _ = ProbeAddress.Find(setup.Settings);
        if (setup.Config.ServiceManager == SambaServiceManager.Systemd)
        {
            // Only whether the bus answers: the units' states are monitor's business.
            ConnectBus(setup.Config).Dispose();
        }
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode ReloadAgent(OcfContext context)
    {
        // Every parameter is read again by each action; the running daemons keep their options
        // until the next start, which is what "reloadable" means for the option parameters.
        _ = SambaConfig.Parse(context.Parameters, context.Environment);
        return OcfExitCode.Success;
    }

    private static InstanceState? LoadState(SambaConfig config)
    {
        try
        {
            return InstanceState.Load(config.StateFile);
        }
        catch (InvalidDataException e)
        {
            throw OcfException.Generic(e.Message);
        }
    }

    private static string Describe(SambaService service, TrackedProcess process) => $"{SambaServices.Name(service)} (pid {process.Pid})";
}
