// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text;

namespace CtdbPcmk.Linux;

/// <summary>
/// Writes RFC 3164 messages to the local syslog socket (/dev/log), as syslog(3) would, without
/// going through the variadic libc function. Losing a log line never fails an action.
/// </summary>
public static class Syslog
{
    private const string DevLog = "/dev/log";

    /// <summary>Numeric facility for a name such as "daemon" or "local7"; null if unknown.</summary>
    public static int? Facility(string name) => name.ToLowerInvariant() switch
    {
        "kern" => 0,
        "user" => 1,
        "mail" => 2,
        "daemon" => 3,
        "auth" => 4,
        "syslog" => 5,
        "lpr" => 6,
        "news" => 7,
        "uucp" => 8,
        "cron" => 9,
        "authpriv" => 10,
        "ftp" => 11,
        "local0" => 16,
        "local1" => 17,
        "local2" => 18,
        "local3" => 19,
        "local4" => 20,
        "local5" => 21,
        "local6" => 22,
        "local7" => 23,
        _ => null,
    };

    /// <summary>Sends one message; severity is 0 (emerg) .. 7 (debug).</summary>
    public static bool TrySend(int facility, int severity, string tag, string message)
    {
        try
        {
            var now = DateTime.Now;
            var line = string.Create(CultureInfo.InvariantCulture,
                $"<{facility * 8 + severity}>{now:MMM} {now.Day,2} {now:HH:mm:ss} {tag}[{Environment.ProcessId}]: {message}");
            using var fd = LinuxSocket.Open(LinuxSocket.AfUnix, LinuxSocket.SockDgram, 0);
            LinuxSocket.SendTo(fd, Encoding.UTF8.GetBytes(line), LinuxSocket.UnixAddress(DevLog));
            return true;
        }
        catch (ErrnoException)
        {
            return false;
        }
    }
}
