// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CtdbPcmk.DBus.Tests;

/// <summary>
/// A real dbus-daemon with the system bus's own configuration, listening on a socket in a temp
/// directory. The configuration is a copy of /usr/share/dbus-1/system.conf, so it includes the
/// policies of /etc/dbus-1/system.d and /usr/share/dbus-1/system.d (ganesha's and systemd's);
/// only the listen address changes (and the relative include of system.d is made absolute), and what a private bus must not do is taken out: switching to
/// the messagebus user, writing the system pid file, and activating services (a call to a name
/// nobody owns must fail at once, not start something).
/// </summary>
public sealed partial class TestBus : IDisposable
{
    private const string SystemConf = "/usr/share/dbus-1/system.conf";

    private TestBus(string dir, int pid)
    {
        Dir = dir;
        Pid = pid;
    }

    public string Dir { get; }

    public int Pid { get; }

    public string Socket => Path.Combine(Dir, "bus");

    public string Address => "unix:path=" + Socket;

    public static TestBus Start()
    {
        var dir = Directory.CreateTempSubdirectory("dbus-test-").FullName;
        var conf = File.ReadAllText(SystemConf);
        conf = Listen().Replace(conf, $"<listen>unix:path={Path.Combine(dir, "bus")}</listen>");
        foreach (var element in new[] { User(), PidFile(), ServiceHelper() })
        {
            conf = element.Replace(conf, "");
        }
        conf = conf.Replace("<standard_system_servicedirs/>", "", StringComparison.Ordinal);
        // A relative include is read from the copy's directory: point it back at the original's.
        conf = conf.Replace("<includedir>system.d</includedir>", $"<includedir>{Path.GetDirectoryName(SystemConf)}/system.d</includedir>", StringComparison.Ordinal);
        // What systemd's own policy file gives root, for the test service standing in for systemd
        // (TestSystemd): hosts without the systemd package lack that file.
        conf = conf.Replace("</busconfig>", """
              <policy user="root">
                <allow own="org.freedesktop.systemd1"/>
                <allow send_destination="org.freedesktop.systemd1"/>
              </policy>
            </busconfig>
            """, StringComparison.Ordinal);
        var confFile = Path.Combine(dir, "bus.conf");
        File.WriteAllText(confFile, conf);

        // --fork --print-pid: the parent prints the daemon's PID once it listens, then exits.
        var info = new ProcessStartInfo("dbus-daemon") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "--config-file=" + confFile, "--fork", "--print-pid" })
        {
            info.ArgumentList.Add(arg);
        }
        using var parent = Process.Start(info)!;
        var stdout = parent.StandardOutput.ReadToEnd();
        var stderr = parent.StandardError.ReadToEnd();
        parent.WaitForExit();
        if (parent.ExitCode != 0 || !int.TryParse(stdout.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
        {
            Directory.Delete(dir, recursive: true);
            throw new InvalidOperationException($"dbus-daemon did not start (exit {parent.ExitCode}): {stderr}{stdout}");
        }
        return new TestBus(dir, pid);
    }

    public BusConnection Connect() => BusConnection.Connect(Address, TimeSpan.FromSeconds(5));

    public void Dispose()
    {
        Pids.Terminate(Pid, TimeSpan.FromSeconds(5));
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
            // A daemon still writing into it; the temp directory is cleaned up by the host.
        }
    }

    [GeneratedRegex("<listen>[^<]*</listen>")]
    private static partial Regex Listen();

    [GeneratedRegex("<user>[^<]*</user>")]
    private static partial Regex User();

    [GeneratedRegex("<pidfile>[^<]*</pidfile>")]
    private static partial Regex PidFile();

    [GeneratedRegex("<servicehelper>[^<]*</servicehelper>")]
    private static partial Regex ServiceHelper();
}
