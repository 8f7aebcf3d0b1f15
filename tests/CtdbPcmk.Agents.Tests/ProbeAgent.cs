// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// An agent whose actions fail in the ways real ones can (exceptions of each kind) so the runtime's
/// mapping to exit codes can be checked; monitor reports what the context saw.
/// </summary>
internal sealed class ProbeAgent : OcfAgent
{
    public override string Name => "probe";

    public override IReadOnlyList<OcfParameter> Parameters { get; } =
    [
        new("mode", OcfParameterType.String, "ok"),
        new("count", OcfParameterType.Integer, "3"),
        new("flag", OcfParameterType.Boolean, "false"),
    ];

    public override string Metadata => "<resource-agent name=\"probe\"/>\n";

    public override IReadOnlyCollection<string> OptionalActions => ["notify"];

    public OcfContext? Last { get; private set; }

    public override OcfExitCode Start(OcfContext context)
    {
        Last = context;
        return context.Parameters.GetString("mode") switch
        {
            "ok" => OcfExitCode.Success,
            "ocf" => throw OcfException.Installed("tool missing"),
            "eperm" => throw new ErrnoException("netlink", (int)Errno.EPERM),
            "crash" => throw new InvalidOperationException("boom"),
            "null" => (OcfExitCode)context.Environment.Get("UNSET_VARIABLE_FOR_A_NULL_DEREFERENCE")!.Length,
            _ => OcfExitCode.ErrGeneric,
        };
    }

    public override OcfExitCode Stop(OcfContext context) => OcfExitCode.Success;

    public override OcfExitCode Monitor(OcfContext context)
    {
        Last = context;
        return context.IsProbe ? OcfExitCode.NotRunning : OcfExitCode.Success;
    }

    public override OcfExitCode ValidateAll(OcfContext context)
    {
        Last = context;
        _ = context.Parameters.GetInt32("count", 0, 10);
        _ = context.Parameters.GetBoolean("flag");
        return OcfExitCode.Success;
    }

    public override OcfExitCode Notify(OcfContext context) => OcfExitCode.Success;
}
