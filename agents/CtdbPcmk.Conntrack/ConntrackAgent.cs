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
        _ = ConntrackConfig.Parse(context.Parameters);
        return OcfExitCode.Success;
    }

    /// <inheritdoc/>
    public override OcfExitCode Start(OcfContext context) => throw OcfException.Generic("not yet");

    /// <inheritdoc/>
    public override OcfExitCode Stop(OcfContext context) => throw OcfException.Generic("not yet");

    /// <inheritdoc/>
    public override OcfExitCode Monitor(OcfContext context) => throw OcfException.Generic("not yet");
}
