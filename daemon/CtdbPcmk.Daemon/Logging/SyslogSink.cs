// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Display;

namespace CtdbPcmk.Daemon.Logging;

/// <summary>
/// Sends each event as one RFC 3164 datagram to the local syslog socket, facility daemon, tagged
/// <c>ctdb-pcmkd[pid]</c>. The socket is non-blocking: when syslog falls behind, messages are
/// dropped rather than stalling the daemon (the reason ctdb offers "syslog:nonblocking").
/// </summary>
internal sealed class SyslogSink : ILogEventSink, IDisposable
{
    public const string DefaultPath = "/dev/log";
    private const int FacilityDaemon = 3;
    // Local syslog daemons accept far larger datagrams, but 8 KiB keeps one event in one read.
    private const int MaxMessageBytes = 8192;

    private static readonly MessageTemplateTextFormatter s_message = new("{Message:lj}", CultureInfo.InvariantCulture);

    private readonly Socket _socket;
    private readonly string _tag;
    private readonly Lock _lock = new();

    private SyslogSink(Socket socket, string tag)
    {
        _socket = socket;
        _tag = tag;
    }

    /// <summary>Connects to <paramref name="path"/>; null when there is no syslog socket there.</summary>
    public static SyslogSink? TryOpen(string path, string tag)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Blocking = false;
            return new SyslogSink(socket, tag);
        }
        catch (SocketException)
        {
            socket.Dispose();
            return null;
        }
    }

    /// <summary>Syslog severity: ctdb NOTICE (Information) is notice, INFO info, DEBUG debug.</summary>
    public static int Severity(LogEventLevel level) => level switch
    {
        LogEventLevel.Fatal => 2,
        LogEventLevel.Error => 3,
        LogEventLevel.Warning => 4,
        LogEventLevel.Information => 5,
        LogEventLevel.Debug => 6,
        _ => 7,
    };

    /// <summary>"&lt;PRI&gt;Mmm dd hh:mm:ss TAG: message", as the C library's syslog() sends locally.</summary>
    public static string Format(LogEvent e, string tag)
    {
        var pri = (FacilityDaemon * 8) + Severity(e.Level);
        var ts = e.Timestamp.ToLocalTime();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"<{pri}>");
        sb.Append(ts.ToString("MMM", CultureInfo.InvariantCulture));
        sb.Append(CultureInfo.InvariantCulture, $" {ts.Day,2} {ts:HH:mm:ss} {tag}: ");
        using var message = new StringWriter(sb, CultureInfo.InvariantCulture);
        // Strings unquoted, as in the file and stderr logs; one datagram is one line.
        s_message.Format(e, message);
        if (e.Exception is not null)
            sb.Append(" | ").Append(e.Exception.ToString().ReplaceLineEndings(" | "));
        return sb.ToString();
    }

    public void Emit(LogEvent logEvent)
    {
        var bytes = Encoding.UTF8.GetBytes(Format(logEvent, _tag));
        var length = Math.Min(bytes.Length, MaxMessageBytes);
        lock (_lock)
        {
            try
            {
                _socket.Send(bytes, 0, length, SocketFlags.None);
            }
            catch (SocketException)
            {
                // Syslog is full or gone: losing a log line must not take the daemon down.
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose() => _socket.Dispose();
}
