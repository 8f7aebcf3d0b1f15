// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;

namespace CtdbPcmk.Transport.NodeAuth;

/// <summary>
/// Logs refused node links at most once per <see cref="Interval"/> per peer address and direction (a node
/// with the wrong key retries every second, a scanner may try far more often); the next line
/// for that address says how many refusals it stands for. A new reason is logged at once.
/// </summary>
internal sealed class RefusalLog
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);
    private const int MaxTracked = 1024;

    private readonly TimeProvider _time;
    private readonly Serilog.ILogger _log;
    private readonly Dictionary<(IPAddress, bool), Entry> _entries = new();

    private sealed class Entry
    {
        public long LoggedAt;
        public string Reason = "";
        public int Suppressed;
    }

    public RefusalLog(TimeProvider time, Serilog.ILogger log)
    {
        _time = time;
        _log = log;
    }

    /// <summary>Counts one refusal of a link with <paramref name="address"/> (<paramref name="outgoing"/>: opened by this node); writes a line unless one was written for it lately.</summary>
    public void Refused(IPAddress address, bool outgoing, string node, string reason)
    {
        long now = _time.GetTimestamp();
        if (_entries.TryGetValue((address, outgoing), out var e) && e.Reason == reason && _time.GetElapsedTime(e.LoggedAt, now) < Interval)
        {
            e.Suppressed++;
            return;
        }
        if (e is null)
        {
            if (_entries.Count >= MaxTracked)
            {
                _entries.Clear();
            }
            e = new Entry();
            _entries[(address, outgoing)] = e;
        }
        string more = e.Suppressed > 0 ? $" ({e.Suppressed} more refusals from this address since the last line)" : "";
        _log.Warning("Refused node link {Direction} {Address} ({Node}): {Reason}{More}", outgoing ? "to" : "from", address, node, reason, more);
        e.LoggedAt = now;
        e.Reason = reason;
        e.Suppressed = 0;
    }
}
