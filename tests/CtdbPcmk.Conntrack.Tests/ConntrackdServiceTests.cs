// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Conntrack.Tests;

/// <summary>ConntrackdService against a scripted conntrackd: which commands, in which order, and what fails.</summary>
public sealed class ConntrackdServiceTests : IDisposable
{
    private static readonly IPAddress s_sync = IPAddress.Parse("10.231.9.1");
    private readonly ConntrackdTempDir _dir = new();
    private readonly StringWriter _log = new();

    public void Dispose() => _dir.Dispose();

    private string Socket => Path.Combine(_dir.Path, "conntrackd.ctl");

    private string Lock => Path.Combine(_dir.Path, "conntrackd.lock");

    private ConntrackdService Service(ConntrackdFakeRunner runner, ConntrackdSettings? settings = null) =>
        new(settings ?? ConntrackdTempDir.Generated(_dir.Path), runner, ConntrackdTempDir.Log(_log), _ => s_sync);

    /// <summary>A conntrackd that answers once "-d" ran (and creates its socket then), until "-k".</summary>
    private ConntrackdFakeRunner Daemon(bool runningAlready = false) => new((option, calls) =>
    {
        var up = (runningAlready || calls.Contains("-d")) && !calls.Contains("-k");
        if (option == "-d")
        {
            File.WriteAllText(Socket, "");
            return ConntrackdFakeRunner.Ok;
        }
        if (option == "-k")
        {
            File.Delete(Socket);
        }
        return option == "-s" && !up ? ConntrackdFakeRunner.Fail("can't connect: is conntrackd running?") : ConntrackdFakeRunner.Ok;
    });

    [Fact]
    public void Start_WritesTheConfigurationStartsAndAsksForAResync()
    {
        var runner = Daemon();
        var service = Service(runner);

        service.Start();

        Assert.Equal(["-d", "-s", "-n"], runner.Calls);
        Assert.Equal(Path.Combine(_dir.Path, "conntrackd.conf"), service.ConfigPath);
        Assert.Contains("IPv4_interface 10.231.9.1", File.ReadAllText(service.ConfigPath), StringComparison.Ordinal);
        Assert.False(File.Exists(service.ConfigPath + ".tmp"));
    }

    [Fact]
    public void Start_RemovesTheLockOfADeadDaemon()
    {
        File.WriteAllText(Socket, "");
        File.WriteAllText(Lock, "");
        var runner = Daemon();

        Service(runner).Start();

        Assert.Equal(["-s", "-d", "-s", "-n"], runner.Calls);
        Assert.False(File.Exists(Lock));
        Assert.Contains("removing", _log.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Start_WhenRunning_StartsNothing()
    {
        File.WriteAllText(Socket, "");
        File.WriteAllText(Lock, "");
        var runner = Daemon(runningAlready: true);

        Service(runner).Start();

        Assert.Equal(["-s"], runner.Calls);
        Assert.True(File.Exists(Lock));
    }

    [Fact]
    public void Start_FailingDaemon_IsAGenericErrorWithItsOutput()
    {
        var runner = new ConntrackdFakeRunner((option, _) => option == "-d" ? ConntrackdFakeRunner.Fail("bad interface") : ConntrackdFakeRunner.Ok);
        var e = Assert.Throws<OcfException>(() => Service(runner).Start());
        Assert.Equal(OcfExitCode.ErrGeneric, e.Code);
        Assert.Contains("bad interface", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_WithoutConntrackd_IsNotInstalled()
    {
        var runner = new ConntrackdFakeRunner((_, _) => ConntrackdFakeRunner.Ok, installed: false);
        var service = Service(runner);
        Assert.Equal(OcfExitCode.ErrInstalled, Assert.Throws<OcfException>(service.Start).Code);
        Assert.Equal(OcfExitCode.ErrInstalled, Assert.Throws<OcfException>(service.CommitTakeover).Code);
        Assert.False(service.IsRunning());
        service.Stop();
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public void AdministratorsConfig_IsUsedAsItIs()
    {
        var config = Path.Combine(_dir.Path, "own.conf");
        File.WriteAllText(config, $"General {{\n\tLockFile {Lock}\n\tUNIX {{\n\t\tPath {Socket}\n\t}}\n}}\n");
        var runner = Daemon();
        var service = Service(runner, new ConntrackdSettings(config, null, "225.0.0.50", 3780, _dir.Path));

        service.Start();

        Assert.Equal(config, service.ConfigPath);
        Assert.Equal(["-d", "-s", "-n"], runner.Calls);
        Assert.False(File.Exists(Path.Combine(_dir.Path, "conntrackd.conf")));
    }

    [Fact]
    public void AdministratorsConfig_WithoutControlSocket_IsAConfigurationError()
    {
        var config = Path.Combine(_dir.Path, "own.conf");
        File.WriteAllText(config, "General {\n\tHashSize 8192\n}\n");
        var runner = Daemon();
        var e = Assert.Throws<OcfException>(Service(runner, new ConntrackdSettings(config, null, "225.0.0.50", 3780, _dir.Path)).Start);
        Assert.Equal(OcfExitCode.ErrConfigured, e.Code);
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public void AdministratorsConfig_Missing_IsNotInstalledForStartAndNotRunningForStop()
    {
        var runner = Daemon();
        var service = Service(runner, new ConntrackdSettings(Path.Combine(_dir.Path, "none.conf"), null, "225.0.0.50", 3780, _dir.Path));
        Assert.Equal(OcfExitCode.ErrInstalled, Assert.Throws<OcfException>(service.Start).Code);
        Assert.False(service.IsRunning());
        service.Stop();
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public void Stop_AsksToExitAndWaits()
    {
        File.WriteAllText(Socket, "");
        var runner = Daemon(runningAlready: true);

        Service(runner).Stop();

        // After -k the socket is gone: no further question is needed.
        Assert.Equal(["-s", "-k"], runner.Calls);
    }

    [Fact]
    public void Stop_WhenNotRunning_DoesNothing()
    {
        var runner = Daemon();
        Service(runner).Stop();
        Assert.Empty(runner.Calls);
    }

    [Fact]
    public void CommitTakeover_RunsCommitFlushResyncBulk()
    {
        var runner = Daemon(runningAlready: true);
        Service(runner).CommitTakeover();
        Assert.Equal(["-c", "-f", "-R", "-B"], runner.Calls);
    }

    [Fact]
    public void CommitTakeover_FailedCommit_Throws()
    {
        var runner = new ConntrackdFakeRunner((option, _) => option == "-c" ? ConntrackdFakeRunner.Fail("commit failed") : ConntrackdFakeRunner.Ok);
        var e = Assert.Throws<OcfException>(Service(runner).CommitTakeover);
        Assert.Equal(OcfExitCode.ErrGeneric, e.Code);
        Assert.Contains("commit failed", e.Message, StringComparison.Ordinal);
        Assert.Equal(["-c"], runner.Calls);
    }

    [Fact]
    public void CommitTakeover_OtherFailures_AreLoggedOnly()
    {
        var runner = new ConntrackdFakeRunner((option, _) => option is "-f" or "-B" ? ConntrackdFakeRunner.Fail($"no {option}") : ConntrackdFakeRunner.Ok);
        Service(runner).CommitTakeover();
        Assert.Equal(["-c", "-f", "-R", "-B"], runner.Calls);
        var log = _log.ToString();
        Assert.Contains("conntrackd -f", log, StringComparison.Ordinal);
        Assert.Contains("no -B", log, StringComparison.Ordinal);
        Assert.DoesNotContain("conntrackd -R", log, StringComparison.Ordinal);
    }

    [Fact]
    public void FindIPv4Address_ReadsTheInterface()
    {
        Assert.Equal(IPAddress.Loopback, ConntrackdService.FindIPv4Address("lo"));
        var e = Assert.Throws<OcfException>(() => ConntrackdService.FindIPv4Address("nosuchif0"));
        Assert.Equal(OcfExitCode.ErrInstalled, e.Code);
    }
}
