// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Protocol;
using CtdbPcmk.Server.Controls;

namespace CtdbPcmk.Server;

/// <summary>
/// Administrative node states the ctdb tool sets (disable/enable, stop/continue, ban/unban):
/// each node owns its flags and announces every change to the others. A stopped or banned node
/// is inactive: it goes into recovery mode (its clients wait) and the leader recovers without it.
/// </summary>
public sealed partial class Daemon
{
    private uint _banSeconds;
    private DateTimeOffset _banExpires;

    private void SetOwnFlags(uint flags)
    {
        uint old = _cluster.FlagsOf(_cluster.Pnn);
        if (flags == old)
        {
            return;
        }
        _cluster.SetFlags(_cluster.Pnn, flags);
        _log.Information("This node's flags 0x{Old:x} -> 0x{New:x}", old, flags);
        bool wasActive = (old & NodeFlags.Inactive) == 0;
        bool active = (flags & NodeFlags.Inactive) == 0;
        if (wasActive && !active)
        {
            // Clients of an inactive node wait until a recovery takes it back.
            _cluster.RecoveryMode = RecoveryMode.Active;
        }
        PushOwnFlags(old);
        if (wasActive != active)
        {
            if (_leadership.IsLeader)
            {
                RequestRecovery(active ? "this node became active" : "this node became inactive");
            }
            else
            {
                AskLeaderToRecover();
            }
        }
    }

    private ControlReply ChangeOwnFlags(uint set, uint clear)
    {
        SetOwnFlags((_cluster.FlagsOf(_cluster.Pnn) | set) & ~clear);
        return ControlReply.Ok;
    }

    /// <summary>SET_BAN_STATE: ban this node for the given seconds (0 lifts the ban).</summary>
    private ControlReply SetBanState(ReadOnlySpan<byte> data)
    {
        var ban = BanState.Read(data);
        if (ban.Pnn != _cluster.Pnn)
        {
            return ControlReply.Failed($"a node bans only itself (got node {ban.Pnn})");
        }
        if (ban.Time == 0)
        {
            _banSeconds = 0;
            return ChangeOwnFlags(0, NodeFlags.Banned);
        }
        _banSeconds = ban.Time;
        _banExpires = _loop.Time.GetUtcNow().AddSeconds(ban.Time);
        _log.Warning("This node is banned for {Seconds} s", ban.Time);
        return ChangeOwnFlags(NodeFlags.Banned, 0);
    }

    private ControlReply GetBanState()
    {
        var data = new byte[BanState.Size];
        new BanState(_cluster.Pnn, (_cluster.FlagsOf(_cluster.Pnn) & NodeFlags.Banned) != 0 ? _banSeconds : 0).Write(data);
        return ControlReply.WithData(data);
    }

    /// <summary>Lifts a ban whose time is up (checked every second).</summary>
    private void ExpireBan()
    {
        if ((_cluster.FlagsOf(_cluster.Pnn) & NodeFlags.Banned) != 0 && _banSeconds != 0 && _loop.Time.GetUtcNow() >= _banExpires)
        {
            _log.Information("Ban of this node expired");
            _banSeconds = 0;
            ChangeOwnFlags(0, NodeFlags.Banned);
        }
    }
}
