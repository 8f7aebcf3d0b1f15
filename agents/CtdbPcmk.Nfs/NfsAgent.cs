// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Nfs.Conf;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Nfs;

/// <summary>
/// ocf:ctdb:nfs: NFS-Ganesha on every node of the cluster (a clone), serving the exports of an
/// administrator's ganesha.conf through the public addresses ocf:ctdb:vip moves. The agent
/// reads the configuration and never writes it. With ocf:ctdb:vip's nfs_grace, a node taking an
/// address over puts its ganesha in grace for that address (see <see cref="NfsTakeover"/>).
/// </summary>
public sealed partial class NfsAgent : OcfAgent
{
    private static readonly TimeSpan s_busTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Opens ganesha's admin interface on a D-Bus address (replaced by tests).</summary>
    internal static Func<string, TimeSpan, IGaneshaAdmin> ConnectAdmin { get; set; } = DBusGaneshaAdmin.Connect;

    /// <inheritdoc/>
    public override string Name => "nfs";

    /// <inheritdoc/>
    public override IReadOnlyList<OcfParameter> Parameters => NfsParameters.All;

    /// <inheritdoc/>
    public override string Metadata => OcfMetadataXml.Text;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> OptionalActions => ["reload-agent", "notify"];

    /// <inheritdoc/>
    public override OcfExitCode ValidateAll(OcfContext context)
    {
        var config = NfsConfig.Parse(context.Parameters, context.Environment);
        var settings = LoadSettings(config);
        CheckHost(config, settings);
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode ReloadAgent(OcfContext context)
    {
        // Every action reads the parameters again; the running server keeps its options until
        // the next start, which is what "reloadable" means for log_level and probe_timeout.
        _ = NfsConfig.Parse(context.Parameters, context.Environment);
        return OcfExitCode.Success;
    }

    /// <summary>ganesha.conf read and checked; its errors (naming file and line) are OCF_ERR_CONFIGURED.</summary>
    private static GaneshaSettings LoadSettings(NfsConfig config)
    {
        try
        {
            return GaneshaSettings.Load(config.ConfigFile);
        }
        catch (GaneshaConfException e)
        {
            throw OcfException.Configured(e.Message);
        }
    }

    /// <summary>What must be on this node: the program, the RecoveryRoot and the exported directories.</summary>
    private static void CheckHost(NfsConfig config, GaneshaSettings settings)
    {
        if (!File.Exists(config.Binary))
        {
            throw OcfException.Installed($"{config.Binary} does not exist (install nfs-ganesha)");
        }
        if (settings.RecoveryRoot is { } root && !Directory.Exists(root))
        {
            // Usually shared storage not mounted on this node: another node may do.
            throw OcfException.Installed($"RecoveryRoot {root} ({settings.File}) does not exist on this node; is the shared storage mounted?");
        }
        foreach (var export in settings.Exports)
        {
            if (export.Fsal.Equals("VFS", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(export.Path))
            {
                throw OcfException.Installed($"export {export.Id} Path {export.Path} ({export.File}:{export.Line}) does not exist on this node");
            }
        }
    }

    /// <summary>Where the server is asked: its Bind_addr, or loopback when it binds every address.</summary>
    private static IPEndPoint ProbeEndpoint(GaneshaSettings settings)
    {
        var address = settings.BindAddress;
        if (address.Equals(IPAddress.Any))
        {
            address = IPAddress.Loopback;
        }
        else if (address.Equals(IPAddress.IPv6Any))
        {
            address = IPAddress.IPv6Loopback;
        }
        return new IPEndPoint(address, settings.NfsPort);
    }

    private static NfsState? LoadState(NfsConfig config)
    {
        try
        {
            return NfsState.Load(config.StateFile);
        }
        catch (InvalidDataException e)
        {
            throw OcfException.Generic(e.Message);
        }
    }

    /// <summary>Asks ganesha's admin interface to answer; empty when it did, else why not.</summary>
    private static string PingAdmin(string busAddress, TimeSpan timeout)
    {
        try
        {
            using var admin = ConnectAdmin(busAddress, timeout);
            admin.Ping();
            return "";
        }
        catch (GaneshaAdminException e)
        {
            return e.Message;
        }
    }
}
