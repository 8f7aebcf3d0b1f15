// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Ctdbd;

/// <summary>
/// The node's promotion preference (crm_attribute --promotion), which Pacemaker uses to choose
/// the instance to promote to leader. Only set for a promotable clone: outside one there is no
/// attribute to set. A failure to set it is logged and never fails the action: the score only
/// steers the choice, and the next monitor tries again.
/// </summary>
internal sealed class PromotionScore(OcfContext context, ICommandRunner runner, string scoreFile)
{
    /// <summary>A healthy RUNNING node.</summary>
    public const int Healthy = 100;

    /// <summary>Extra for the current leader, so that an equally good node does not take over.</summary>
    public const int LeaderBonus = 10;

    /// <summary>Up and waiting for a leader to run the first recovery: must be promotable, or no node ever is.</summary>
    public const int WaitingForLeader = 50;

    /// <summary>Banned, stopped, unhealthy or in another run state: promoted only when nothing better exists.</summary>
    public const int Degraded = 5;

    private static readonly TimeSpan s_commandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// True when the resource is a promotable clone. Pacemaker 2.1 passes the clone's
    /// promoted-max (and its older name master-max) to the instances, not "promotable" itself.
    /// </summary>
    public bool Enabled =>
        OcfEnvironment.IsTrue(context.Environment.Get("OCF_RESKEY_CRM_meta_promotable")) ||
        IsPositive("OCF_RESKEY_CRM_meta_promoted_max") || IsPositive("OCF_RESKEY_CRM_meta_master_max");

    private bool IsPositive(string name) =>
        int.TryParse(context.Environment.Get(name), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0;

    /// <summary>The score for a daemon in <paramref name="status"/> (null: not running, no score).</summary>
    public static int? For(DaemonStatus status)
    {
        if (!status.IsAnswering)
        {
            return null;
        }
        var score = status.IsHealthy ? Healthy : status.IsWaitingForLeader ? WaitingForLeader : Degraded;
        return status.IsLeader ? score + LeaderBonus : score;
    }

    /// <summary>
    /// Publishes the score for <paramref name="status"/>. With <paramref name="force"/> false the
    /// command runs only when the score differs from the last one published.
    /// </summary>
    public void Update(DaemonStatus status, bool force)
    {
        if (!Enabled)
        {
            return;
        }
        var score = For(status);
        if (score is null)
        {
            Delete();
            return;
        }
        var text = score.Value.ToString(CultureInfo.InvariantCulture);
        if (!force && ReadLast() == text)
        {
            return;
        }
        if (Run(["--promotion", "-v", text]))
        {
            TryWrite(text);
        }
    }

    /// <summary>Removes the score (the instance is stopped).</summary>
    public void Delete()
    {
        if (!Enabled)
        {
            return;
        }
        Run(["--promotion", "-D"]);
        try
        {
            File.Delete(scoreFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private bool Run(string[] arguments)
    {
        try
        {
            var r = runner.Run("crm_attribute", arguments, s_commandTimeout);
            if (r.Succeeded)
            {
                context.Log.Debug($"crm_attribute {string.Join(' ', arguments)}");
                return true;
            }
            context.Log.Warning($"crm_attribute {string.Join(' ', arguments)} failed ({r.ExitCode}): {r.Stderr.Trim()}");
        }
        catch (CommandNotFoundException e)
        {
            context.Log.Warning($"cannot set the promotion score: {e.Message}");
        }
        return false;
    }

    private string? ReadLast()
    {
        try
        {
            return File.ReadAllText(scoreFile).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void TryWrite(string text)
    {
        try
        {
            File.WriteAllText(scoreFile, text + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
