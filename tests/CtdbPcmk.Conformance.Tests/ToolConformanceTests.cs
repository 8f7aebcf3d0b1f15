// SPDX-License-Identifier: GPL-3.0-or-later
using static CtdbPcmk.Conformance.Tests.ToolStep;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// The real Debian ctdb tool against the real ctdbd and against ctdb-pcmkd, same commands,
/// same single-node layout: node-level commands. Database commands are in the .Database part.
/// Both clusters see every command of every test, so state such as the database list or
/// tunable values stays comparable between tests.
/// </summary>
[Collection(ToolConformanceGroup.Name)]
public sealed partial class ToolConformanceTests(ClusterPairFixture pair)
{
    private Task SameAsync(params ToolStep[] steps) => ToolComparison.AssertSameAsync(pair, steps);

    [Fact]
    public Task Status() => SameAsync(
        Ok("status").Showing("Recovery mode:NORMAL (0)"),
        Ok("-X", "status"),
        Ok("nodestatus"));

    [Fact]
    public Task Ping() => SameAsync(Ok("ping").Showing("response from 0"));

    [Fact]
    public Task Pnn() => SameAsync(Ok("pnn"), Ok("-X", "pnn"));

    [Fact]
    public Task Listnodes() => SameAsync(Ok("listnodes"), Ok("-X", "listnodes"));

    [Fact]
    public Task Getvar() => SameAsync(
        Ok("getvar", "RecoverTimeout").Showing("RecoverTimeout"),
        Ok("getvar", "recovertimeout"),
        Ok("-X", "getvar", "MonitorInterval"));

    [Fact]
    public Task Getvar_unknown_name() => SameAsync(
        Fails("getvar", "NoSuchTunable"),
        Fails("getvar"));

    [Fact]
    public Task Setvar() => SameAsync(
        Ok("setvar", "TickleUpdateInterval", "21"),
        Ok("getvar", "TickleUpdateInterval").Showing("21"),
        Fails("setvar", "NoSuchTunable", "1"),
        new ToolStep(["setvar", "TickleUpdateInterval", "notanumber"]),
        Ok("getvar", "TickleUpdateInterval").Showing("21"));

    [Fact]
    public Task Listvars() => SameAsync(
        Ok("listvars").Showing("RecoverTimeout"),
        Ok("-X", "listvars"));

    [Fact]
    public Task Uptime() => SameAsync(Ok("uptime"), Ok("-X", "uptime"));

    [Fact]
    public Task Statistics() => SameAsync(Ok("statistics"), Ok("-X", "statistics"));

    [Fact]
    public Task Getcapabilities() => SameAsync(Ok("getcapabilities"), Ok("-X", "getcapabilities"));

    [Fact]
    public Task Runstate() => SameAsync(
        Ok("runstate").Showing("RUNNING"),
        Ok("runstate", "RUNNING"),
        Fails("runstate", "STARTUP"));

    [Fact]
    public Task Ip() => SameAsync(
        Ok("ip"),
        Ok("-X", "ip"),
        Ok("ip", "all"),
        Ok("ip", "-v"));
}
