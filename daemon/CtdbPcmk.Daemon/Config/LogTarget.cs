// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Daemon.Config;

/// <summary>A parsed [logging] location; <see cref="Path"/> is set for files only.</summary>
internal sealed record LogTarget(LogTargetKind Kind, string? Path = null)
{
    public const string DefaultFile = "/var/log/ctdb/log.ctdb";

    public static LogTarget Default { get; } = new(LogTargetKind.File, DefaultFile);

    /// <summary>
    /// Parses <c>file:PATH</c>, <c>syslog</c>, <c>syslog:METHOD</c> or <c>stderr</c>. Every
    /// syslog method goes to the local /dev/log socket: the sink never blocks, which is what
    /// "nonblocking" asks for, and the local socket reaches the same daemon "udp" would.
    /// </summary>
    public static bool TryParse(string text, out LogTarget target, out string? error)
    {
        error = null;
        target = Default;
        if (text.StartsWith("file:", StringComparison.Ordinal))
        {
            var path = text["file:".Length..].Trim();
            if (path.Length == 0 || path[0] != '/')
            {
                error = $"log file must be an absolute path: '{text}'";
                return false;
            }
            target = new LogTarget(LogTargetKind.File, path);
            return true;
        }
        switch (text)
        {
            case "syslog":
            case "syslog:nonblocking":
            case "syslog:udp":
            case "syslog:udp-rfc5424":
                target = new LogTarget(LogTargetKind.Syslog);
                return true;
            case "stderr":
                target = new LogTarget(LogTargetKind.Stderr);
                return true;
            default:
                error = $"invalid log location '{text}' (expected file:PATH, syslog, syslog:nonblocking, syslog:udp or stderr)";
                return false;
        }
    }
}
