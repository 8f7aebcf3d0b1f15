// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Vip;

/// <summary>
/// Requests to the node's connection tracker (ocf:ctdb:conntrack) through its control socket.
/// A missing tracker is normal (the agent is optional); a failing one is logged, never fatal.
/// </summary>
internal static class TrackerSession
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(5);

    /// <summary>Sends "<paramref name="verb"/> ADDRESS"; true when a tracker answered ok.</summary>
    public static bool Request(VipConfig config, string verb, IPAddress address, OcfContext context)
    {
        if (config.ConntrackSocket.Length == 0)
        {
            return false;
        }
        try
        {
            var reply = UnixLineClient.Send(config.ConntrackSocket, $"{verb} {address}", s_timeout);
            if (reply is null)
            {
                context.Log.Debug($"no connection tracker at {config.ConntrackSocket}");
                return false;
            }
            if (reply.StartsWith("ok", StringComparison.Ordinal))
            {
                context.Log.Info($"connection tracker: {reply[3..]}");
                return true;
            }
            context.Log.Error($"connection tracker: {verb} {address}: {reply}");
        }
        catch (IOException e)
        {
            context.Log.Error($"connection tracker at {config.ConntrackSocket}: {e.Message}");
        }
        return false;
    }
}
