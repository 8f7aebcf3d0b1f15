// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack;

/// <summary>
/// ocf:ctdb:conntrack: start launches the node's connection tracker (and conntrackd when asked),
/// monitor asks the tracker through its control socket, stop ends both. Its own actions:
/// "tracker" (the tracker process itself), "reset-server ADDRESS" and "reset-client ADDRESS".
/// </summary>
public sealed partial class ConntrackAgent : OcfAgent
{
    private readonly ICommandRunner _runner;

    public ConntrackAgent()
        : this(ProcessCommandRunner.Instance)
    {
    }

    internal ConntrackAgent(ICommandRunner runner) => _runner = runner;

    /// <inheritdoc/>
    public override string Name => "conntrack";

    /// <inheritdoc/>
    public override IReadOnlyList<OcfParameter> Parameters => ConntrackParameters.All;

    /// <inheritdoc/>
    public override string Metadata => OcfMetadataXml.Text;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> OptionalActions => ["tracker", "reset-server", "reset-client"];

    /// <inheritdoc/>
    public override OcfExitCode ValidateAll(OcfContext context)
    {
        var config = ConntrackConfig.Parse(context.Parameters);
        if (_runner.Find("nft") is null && _runner.Find("iptables") is null)
        {
            throw OcfException.Installed("neither nft nor iptables is installed: conntrack cannot be enabled");
        }
        if (config.Conntrackd is { } settings)
        {
            if (_runner.Find("conntrackd") is null)
            {
                throw OcfException.Installed("conntrackd=true but conntrackd is not installed");
            }
            if (settings.ConfigFile is { } file && !File.Exists(file))
            {
                throw OcfException.Installed($"conntrackd_config '{file}' does not exist");
            }
        }
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode OwnAction(OcfContext context) => context.Action switch
    {
        "tracker" => RunTracker(context),
        "reset-server" or "reset-client" => Reset(context),
        _ => OcfExitCode.ErrUnimplemented,
    };

    private ConntrackdService? Conntrackd(ConntrackConfig config, OcfContext context) =>
        config.Conntrackd is { } settings ? new ConntrackdService(settings, _runner, context.Log) : null;
}
