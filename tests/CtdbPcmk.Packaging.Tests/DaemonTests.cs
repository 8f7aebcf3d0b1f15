// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CtdbPcmk.Packaging.Tests;

/// <summary>
/// The installed daemon, configured from the packaged sample configuration with every
/// commented setting switched on (so each example in it must be valid), answering the real
/// Debian ctdb tool.
/// </summary>
[Collection(RpmGroup.Name)]
public sealed partial class DaemonTests(InstalledRpms rpms) : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("ctdbpcmk-rpmdaemon-").FullName;

    [Fact]
    public void HelpDescribesTheOptions()
    {
        var help = Sh.Run(rpms.InRoot("/usr/sbin/ctdb-pcmkd"), "--help");
        Assert.True(help.Code == 0, help.ToString());
        Assert.Contains("--config", help.Stdout, StringComparison.Ordinal);
        Assert.Contains("--leader", help.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheInstalledDaemonAnswersTheCtdbTool()
    {
        var conf = Path.Combine(_work, "ctdb-pcmk.conf");
        File.WriteAllText(conf, LocalConfiguration(File.ReadAllText(rpms.InRoot("/etc/ctdb-pcmk/ctdb-pcmk.conf"))));
        File.WriteAllText(Path.Combine(_work, "nodes"), "127.0.0.1\n");
        var socket = Path.Combine(_work, "run", "ctdbd.socket");

        var start = Sh.Info([rpms.InRoot("/usr/sbin/ctdb-pcmkd"), "--config", conf, "--leader"]);
        start.Environment.Remove("CTDB_SOCKET");
        using var daemon = Process.Start(start) ?? throw new InvalidOperationException("cannot start the daemon");
        var log = daemon.StandardError.ReadToEndAsync();
        _ = daemon.StandardOutput.ReadToEndAsync();
        try
        {
            var deadline = Stopwatch.StartNew();
            Sh.Result ping;
            while ((ping = Ctdb(socket, "ping")).Code != 0)
            {
                if (daemon.HasExited)
                {
                    Assert.Fail($"the daemon exited ({daemon.ExitCode}): {await log}");
                }
                Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "no answer to ctdb ping in 30 s: " + ping);
                await Task.Delay(50);
            }
            Assert.Contains("response from 0", ping.Stdout, StringComparison.Ordinal);

            var status = CtdbOk(socket, "status");
            Assert.Contains("pnn:0 127.0.0.1", status, StringComparison.Ordinal);
            Assert.Contains("OK (THIS NODE)", status, StringComparison.Ordinal);
            CtdbOk(socket, "attach", "pkgtest.tdb");
            CtdbOk(socket, "writekey", "pkgtest.tdb", "key", "value");
            Assert.Contains("Data: size:5 ptr:[value]", CtdbOk(socket, "readkey", "pkgtest.tdb", "key"), StringComparison.Ordinal);
            Assert.Contains("pkgtest.tdb", CtdbOk(socket, "getdbmap"), StringComparison.Ordinal);
            // The database went where the configuration put it.
            Assert.True(File.Exists(Path.Combine(_work, "db", "volatile", "pkgtest.tdb.0")));
        }
        finally
        {
            if (!daemon.HasExited)
            {
                Sh.Run("kill", "-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (!daemon.WaitForExit(15_000))
                {
                    daemon.Kill();
                }
            }
            await daemon.WaitForExitAsync();
        }
        Assert.True(daemon.ExitCode == 0, $"the daemon's exit code after SIGTERM: {daemon.ExitCode}: {await log}");
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    /// <summary>
    /// The sample with each commented "key = value" switched on (the log location example
    /// excepted: the sample already sets one), its system paths moved under the test's directory
    /// and its example address replaced by this host's loopback on a free port.
    /// </summary>
    private string LocalConfiguration(string sample)
    {
        // The sample's node key file, made here as an administrator would (0600, one base64 key).
        string key = Path.Combine(_work, "node.key");
        File.WriteAllText(key, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var text = CommentedSetting().Replace(sample, m => m.Groups["key"].Value == "location" ? m.Value : m.Groups["indent"].Value + m.Groups["setting"].Value);
        Assert.DoesNotMatch(CommentedSetting(), text.Replace("# location =", "", StringComparison.Ordinal));
        return text
            .Replace("/var/lib/ctdb", Path.Combine(_work, "db"), StringComparison.Ordinal)
            .Replace("/run/ctdb", Path.Combine(_work, "run"), StringComparison.Ordinal)
            .Replace("/etc/ctdb/nodes", Path.Combine(_work, "nodes"), StringComparison.Ordinal)
            .Replace("/etc/ctdb/node.key", key, StringComparison.Ordinal)
            .Replace("192.168.122.11", "127.0.0.1", StringComparison.Ordinal)
            .Replace("port = 4379", "port = " + FreePort(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"^(?<indent>\s*)# (?<setting>(?<key>[A-Za-z][A-Za-z ]*?) = \S.*)$", RegexOptions.Multiline)]
    private static partial Regex CommentedSetting();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The real ctdb tool against the socket (test mode: CTDB_SOCKET and CTDB_BASE are honoured).</summary>
    private Sh.Result Ctdb(string socket, params string[] args) =>
        Sh.Run(["ctdb", .. args], new Dictionary<string, string>
        {
            ["CTDB_TEST_MODE"] = "yes",
            ["CTDB_BASE"] = _work,
            ["CTDB_SOCKET"] = socket,
        });

    private string CtdbOk(string socket, params string[] args)
    {
        var r = Ctdb(socket, args);
        Assert.True(r.Code == 0, $"ctdb {string.Join(' ', args)}: {r}");
        return r.Stdout;
    }
}
