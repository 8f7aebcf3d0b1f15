// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;

namespace CtdbPcmk.Ocf;

/// <summary>
/// Runs one OCF action: reads the action from argv[1], calls the agent, and maps every outcome,
/// including any exception, to an OCF exit code with an <c>ocf-exit-reason:</c> line. Nothing
/// escapes: an agent can never die from an unhandled exception.
/// </summary>
public static class OcfRunner
{
    /// <summary>Actions every agent has.</summary>
    public static readonly IReadOnlyList<string> MandatoryActions = ["start", "stop", "monitor", "validate-all", "meta-data"];

    /// <summary>
    /// Runs the action named by args[0]. OCF actions ignore further arguments, as OCF says; an
    /// agent's own actions may read them (<see cref="OcfContext.Arguments"/>).
    /// </summary>
    public static int Run(OcfAgent agent, IReadOnlyList<string> args, OcfEnvironment environment, TextWriter stdout, TextWriter stderr)
    {
        var action = args.Count > 0 ? args[0] : "";
        try
        {
            switch (action)
            {
                case "meta-data":
                    // Must work without root and without parameters.
                    stdout.Write(agent.Metadata);
                    stdout.Flush();
                    return (int)OcfExitCode.Success;
                case "usage":
                case "help":
                    stdout.WriteLine(Usage(agent));
                    return (int)OcfExitCode.Success;
                case "status":
                    // Legacy alias that shell agents accept.
                    action = "monitor";
                    break;
            }
            if (action.Length == 0)
            {
                stderr.WriteLine(Usage(agent));
                return (int)OcfExitCode.ErrUnimplemented;
            }
            var context = new OcfContext(action, agent, environment, stdout, stderr) { Arguments = args.Skip(1).ToArray() };
            return (int)Invoke(agent, context, stderr);
        }
        catch (Exception e)
        {
            // Failure before the agent ran (e.g. writing meta-data): still an exit code.
            TryWrite(stderr, "ocf-exit-reason:" + Describe(e));
            return (int)OcfExitCode.ErrGeneric;
        }
    }

    /// <summary>One-line usage text listing the agent's actions.</summary>
    public static string Usage(OcfAgent agent) =>
        $"usage: {agent.Name} {{{string.Join('|', MandatoryActions.Concat(agent.OptionalActions))}}}";

    private static OcfExitCode Invoke(OcfAgent agent, OcfContext context, TextWriter stderr)
    {
        try
        {
            var code = Dispatch(agent, context);
            context.Log.Debug($"{context.Action} returned {(int)code}");
            return code;
        }
        catch (OcfException e)
        {
            return Fail(context, e.Code, e.Message);
        }
        catch (ErrnoException e) when (e.IsPermission)
        {
            return Fail(context, OcfExitCode.ErrPerm, e.Message);
        }
        catch (Exception e)
        {
            return Fail(context, OcfExitCode.ErrGeneric, "internal error: " + Describe(e));
        }
    }

    private static OcfExitCode Dispatch(OcfAgent agent, OcfContext context)
    {
        var action = context.Action;
        if (!MandatoryActions.Contains(action) && !agent.OptionalActions.Contains(action))
        {
            context.Log.Debug($"action '{action}' is not implemented");
            return OcfExitCode.ErrUnimplemented;
        }
        return action switch
        {
            "start" => agent.Start(context),
            "stop" => agent.Stop(context),
            "monitor" => agent.Monitor(context),
            "validate-all" => agent.ValidateAll(context),
            "promote" => agent.Promote(context),
            "demote" => agent.Demote(context),
            "notify" => agent.Notify(context),
            "reload" => agent.Reload(context),
            "reload-agent" => agent.ReloadAgent(context),
            "migrate_to" => agent.MigrateTo(context),
            "migrate_from" => agent.MigrateFrom(context),
            _ => agent.OwnAction(context),
        };
    }

    private static OcfExitCode Fail(OcfContext context, OcfExitCode code, string reason)
    {
        context.Log.Error(reason);
        context.ExitReason(reason);
        return code;
    }

    private static string Describe(Exception e) => e.InnerException is null
        ? $"{e.GetType().Name}: {e.Message}"
        : $"{e.GetType().Name}: {e.Message} ({Describe(e.InnerException)})";

    private static void TryWrite(TextWriter writer, string line)
    {
        try
        {
            writer.WriteLine(line);
            writer.Flush();
        }
        catch (IOException)
        {
        }
    }
}
