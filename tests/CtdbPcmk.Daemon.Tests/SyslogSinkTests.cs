// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using System.Text;
using CtdbPcmk.Daemon.Config;
using CtdbPcmk.Daemon.Logging;
using Serilog.Events;

namespace CtdbPcmk.Daemon.Tests;

public sealed class SyslogSinkTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cpk-syslog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Sends_rfc3164_datagrams_with_daemon_facility_and_tag()
    {
        var path = Path.Combine(_dir, "log");
        using var server = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        server.Bind(new UnixDomainSocketEndPoint(path));
        server.ReceiveTimeout = 5000;

        using (var log = LogSetup.Create(new LogTarget(LogTargetKind.Syslog), LogEventLevel.Debug, path))
        {
            log.Warning("disk {Name} is slow", "sda");
            log.Information("notice level");
            log.Debug("info level");
            log.Verbose("below the minimum level: not sent");
        }

        var pid = Environment.ProcessId;
        var buffer = new byte[9000];
        string Next() => Encoding.UTF8.GetString(buffer, 0, server.Receive(buffer));
        Assert.Matches($@"^<28>[A-Z][a-z][a-z] [ 1-3][0-9] \d\d:\d\d:\d\d ctdb-pcmkd\[{pid}\]: disk sda is slow$", Next());
        Assert.Matches($@"^<29>.* ctdb-pcmkd\[{pid}\]: notice level$", Next());
        Assert.Matches($@"^<30>.* ctdb-pcmkd\[{pid}\]: info level$", Next());
        server.Blocking = false;
        Assert.Throws<SocketException>(() => server.Receive(buffer));
    }

    [Fact]
    public void Without_a_syslog_socket_the_sink_is_absent()
    {
        Assert.Null(SyslogSink.TryOpen(Path.Combine(_dir, "none"), "t"));
    }
}
