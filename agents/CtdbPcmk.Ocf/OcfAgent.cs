// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Ocf;

/// <summary>
/// Base class of an OCF agent. The runtime (<see cref="OcfRunner"/>) picks the method from argv[1]
/// and turns every outcome into an exit code; optional actions answer
/// <see cref="OcfExitCode.ErrUnimplemented"/> unless the agent lists them in
/// <see cref="OptionalActions"/> and overrides them.
/// </summary>
public abstract class OcfAgent
{
    /// <summary>The agent type, e.g. "vip" (the name of its link in the provider directory).</summary>
    public abstract string Name { get; }

    /// <summary>The parameters the agent reads, declared once; must match the metadata XML.</summary>
    public abstract IReadOnlyList<OcfParameter> Parameters { get; }

    /// <summary>The metadata XML, written verbatim by meta-data.</summary>
    public abstract string Metadata { get; }

    /// <summary>
    /// Optional actions this agent implements: promote, demote, notify, reload, reload-agent,
    /// migrate_to, migrate_from.
    /// </summary>
    public virtual IReadOnlyCollection<string> OptionalActions => [];

    /// <summary>Brings the resource up; succeeds when it already runs.</summary>
    public abstract OcfExitCode Start(OcfContext context);

#pragma warning disable CA1716 // the OCF action is called stop
    /// <summary>Takes the resource down; succeeds when it is already stopped.</summary>
    public abstract OcfExitCode Stop(OcfContext context);
#pragma warning restore CA1716

    /// <summary>Reports the local state without changing it.</summary>
    public abstract OcfExitCode Monitor(OcfContext context);

    /// <summary>Checks the parameters.</summary>
    public abstract OcfExitCode ValidateAll(OcfContext context);

    /// <summary>Promotes the instance.</summary>
    public virtual OcfExitCode Promote(OcfContext context) => OcfExitCode.ErrUnimplemented;

    /// <summary>Demotes the instance.</summary>
    public virtual OcfExitCode Demote(OcfContext context) => OcfExitCode.ErrUnimplemented;

    /// <summary>Handles a clone notification; must not fail.</summary>
    public virtual OcfExitCode Notify(OcfContext context) => OcfExitCode.ErrUnimplemented;

    /// <summary>Re-reads the service's own configuration.</summary>
    public virtual OcfExitCode Reload(OcfContext context) => OcfExitCode.ErrUnimplemented;

    /// <summary>Applies changed reloadable parameters (OCF 1.1).</summary>
    public virtual OcfExitCode ReloadAgent(OcfContext context) => OcfExitCode.ErrUnimplemented;

    /// <summary>Live migration, source side.</summary>
    public virtual OcfExitCode MigrateTo(OcfContext context) => OcfExitCode.ErrUnimplemented;

    /// <summary>Live migration, target side.</summary>
    public virtual OcfExitCode MigrateFrom(OcfContext context) => OcfExitCode.ErrUnimplemented;

    /// <summary>An action of this agent's own, listed in <see cref="OptionalActions"/> but not one OCF defines.</summary>
    public virtual OcfExitCode OwnAction(OcfContext context) => OcfExitCode.ErrUnimplemented;
}
