// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Text.RegularExpressions;
using CtdbPcmk.Linux;

namespace CtdbPcmk.TestSupport.Ganesha;

/// <summary>
/// A private system-bus dbus-daemon for one test: NFS-Ganesha registers its admin interface on
/// the system bus named by DBUS_SYSTEM_BUS_ADDRESS. The config is the distribution's
/// system.conf with only the listen address changed and the user and pid file dropped, so the
/// bus policy (and ganesha's policy file under /etc/dbus-1/system.d) is the real one; a
/// hand-written minimal config did not deliver ganesha's replies. Stopped by its own PID.
/// </summary>
public sealed partial class DBusDaemonProcess : IDisposable
{
    private const string SystemConf = "/usr/share/dbus-1/system.conf";

    private DBusDaemonProcess(int pid, string socketPath)
    {
        Pid = pid;
        SocketPath = socketPath;
    }

    public int Pid { get; }

    public string SocketPath { get; }

    /// <summary>The value for DBUS_SYSTEM_BUS_ADDRESS.</summary>
    public string Address => $"unix:path={SocketPath}";

    /// <summary>Starts a bus listening on <paramref name="dir"/>/bus.sock.</summary>
    public static DBusDaemonProcess Start(string dir)
    {
        string socket = Path.Combine(dir, "bus.sock");
        string config = Path.Combine(dir, "bus.conf");
        File.WriteAllText(config, Config(File.ReadAllText(SystemConf), socket));
        // --fork: the parent returns once the bus listens; its output goes to files because
        // the forked daemon would hold a pipe open.
        var result = Sh.RunToFiles(["dbus-daemon", $"--config-file={config}", "--fork", "--print-pid"],
            timeout: TimeSpan.FromSeconds(20));
        Assert.True(result.Ok, $"dbus-daemon: {result}");
        int pid = int.Parse(result.Stdout.Trim(), CultureInfo.InvariantCulture);
        return new DBusDaemonProcess(pid, socket);
    }

    /// <summary>
    /// The system config with the listen address replaced and the user and pid file removed.
    /// Relative include directories resolve against the config's own directory, so they are
    /// made absolute to keep pointing at the system's.
    /// </summary>
    public static string Config(string systemConf, string socketPath)
    {
        string text = ListenElement().Replace(systemConf, $"<listen>unix:path={socketPath}</listen>");
        text = UserOrPidFile().Replace(text, "");
        return RelativeIncludeDir().Replace(text, m => $"<includedir>{Path.Combine("/usr/share/dbus-1", m.Groups[1].Value)}</includedir>");
    }

    public void Dispose()
    {
        DaemonProcess.Signal(Pid, DaemonProcess.SigTerm);
        if (!DaemonProcess.WaitGone(Pid, DateTime.UtcNow.AddSeconds(5)))
        {
            DaemonProcess.Signal(Pid, DaemonProcess.SigKill);
        }
    }

    [GeneratedRegex(@"<listen>[^<]*</listen>")]
    private static partial Regex ListenElement();

    [GeneratedRegex(@"<(user|pidfile)>[^<]*</\1>\s*")]
    private static partial Regex UserOrPidFile();

    [GeneratedRegex(@"<includedir>([^/<][^<]*)</includedir>")]
    private static partial Regex RelativeIncludeDir();
}
