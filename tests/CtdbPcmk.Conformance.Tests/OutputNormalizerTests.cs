// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// The normaliser must hide only values that legitimately differ and keep everything else
/// compared. Inputs are output of the real ctdb tool against ctdbd 4.17 (shared vectors).
/// </summary>
public sealed class OutputNormalizerTests
{
    private const string Dir = "/tmp/cpconf-ctdb-0123456789ab";

    private const string Status = "Number of nodes:3\npnn:0 127.0.0.1        OK\npnn:1 127.0.0.2        OK (THIS NODE)\n" +
        "pnn:2 127.0.0.3        OK\nGeneration:705780074\nSize:3\nhash:0 lmaster:0\nhash:1 lmaster:1\nhash:2 lmaster:2\n" +
        "Recovery mode:NORMAL (0)\nLeader:0\n";

    private const string Uptime = "Current time of node 1        :                Sun Nov 22 01:49:31 2026\n" +
        "Ctdbd start time              : (000 00:15:42) Sun Nov 22 01:33:49 2026\n" +
        "Time of last recovery/failover: (000 00:15:36) Sun Nov 22 01:33:55 2026\n" +
        "Duration of last recovery/failover: 0.022693 seconds\n";

    private const string Statistics = "CTDB version 1\nCurrent time of statistics  :                Sun Nov 22 01:49:32 2026\n" +
        "Statistics collected since  : (000 00:06:14) Sun Nov 22 01:43:18 2026\n num_clients                        2\n" +
        " frozen                             0\n recovering                         0\n node\n     req_call                     811\n" +
        " pending_childwrite_calls             0\n hop_count_buckets: 810 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n" +
        " call_latency       MIN/AVG/MAX     0.000013/0.000467/0.006744 sec out of 814\n";

    [Fact]
    public void Status_generation_is_ignored_but_node_health_is_not()
    {
        string other = Status.Replace("Generation:705780074", "Generation:1", StringComparison.Ordinal);
        Assert.Equal(N(Status, "status"), N(other, "status"));
        string unhealthy = Status.Replace("127.0.0.2        OK", "127.0.0.2        UNHEALTHY", StringComparison.Ordinal);
        Assert.NotEqual(N(Status, "status"), N(unhealthy, "status"));
        Assert.NotEqual(N(Status, "status"), N(Status.Replace("Leader:0", "Leader:1", StringComparison.Ordinal), "status"));
    }

    [Fact]
    public void Generation_numbers_stay_compared_outside_status()
    {
        Assert.NotEqual(N("Generation:1\n", "getdbmap"), N("Generation:2\n", "getdbmap"));
    }

    [Fact]
    public void Ping_time_and_client_count_are_ignored_but_the_node_is_not()
    {
        const string ping = "response from 1 time=0.000346 sec  (2 clients)\n";
        Assert.Equal(N(ping, "ping"), N("response from 1 time=0.000019 sec  (5 clients)\n", "ping"));
        Assert.NotEqual(N(ping, "ping"), N("response from 0 time=0.000346 sec  (2 clients)\n", "ping"));
    }

    [Fact]
    public void Uptime_dates_and_durations_are_ignored_but_labels_are_not()
    {
        string later = Uptime.Replace("01:49:31", "02:00:00", StringComparison.Ordinal)
            .Replace("(000 00:15:42)", "(001 10:00:00)", StringComparison.Ordinal)
            .Replace("0.022693", "0.000001", StringComparison.Ordinal);
        Assert.Equal(N(Uptime, "uptime"), N(later, "uptime"));
        Assert.NotEqual(N(Uptime, "uptime"), N(Uptime.Replace("node 1", "node 0", StringComparison.Ordinal), "uptime"));
        Assert.NotEqual(N(Uptime, "uptime"), N(Uptime.Replace("Duration of last", "Duration of first", StringComparison.Ordinal), "uptime"));
    }

    [Fact]
    public void Statistics_counters_are_ignored_but_state_flags_and_names_are_not()
    {
        string busier = Statistics.Replace("811", "3", StringComparison.Ordinal)
            .Replace("num_clients                        2", "num_clients                      100", StringComparison.Ordinal)
            .Replace("810 1 0", "7 0 0", StringComparison.Ordinal)
            .Replace("0.000013/0.000467/0.006744 sec out of 814", "0.100000/0.200000/0.300000 sec out of 1", StringComparison.Ordinal);
        Assert.Equal(N(Statistics, "statistics"), N(busier, "statistics"));
        string frozen = Statistics.Replace("frozen                             0", "frozen                             1", StringComparison.Ordinal);
        Assert.NotEqual(N(Statistics, "statistics"), N(frozen, "statistics"));
        string missing = Statistics.Replace("     req_call                     811\n", "", StringComparison.Ordinal);
        Assert.NotEqual(N(Statistics, "statistics"), N(missing, "statistics"));
        Assert.NotEqual(N(Statistics, "statistics"), N(Statistics.Replace("CTDB version 1", "CTDB version 2", StringComparison.Ordinal), "statistics"));
    }

    [Fact]
    public void Machine_statistics_keep_header_version_and_state_flags()
    {
        const string a = "CTDB version|Current time of statistics|num_clients|frozen|recovering|\n1|1795458677|2|0|0|\n";
        const string b = "CTDB version|Current time of statistics|num_clients|frozen|recovering|\n1|1795450000|9|0|0|\n";
        const string c = "CTDB version|Current time of statistics|num_clients|frozen|recovering|\n1|1795450000|9|0|1|\n";
        Assert.Equal(N(a, "-X", "statistics"), N(b, "-X", "statistics"));
        Assert.NotEqual(N(a, "-X", "statistics"), N(c, "-X", "statistics"));
        Assert.NotEqual(N(a, "-X", "statistics"), N(a.Replace("num_clients", "clients", StringComparison.Ordinal), "-X", "statistics"));
    }

    [Fact]
    public void Only_the_cluster_directory_is_hidden_in_paths()
    {
        const string a = $"dbid:0xc445c6ab name:test.tdb path:{Dir}/node.0/db/volatile/test.tdb.0\n";
        string b = a.Replace(Dir, "/tmp/cpconf-ours-ba9876543210", StringComparison.Ordinal);
        Assert.Equal(
            OutputNormalizer.Normalize(a, ["getdbmap"], Dir),
            OutputNormalizer.Normalize(b, ["getdbmap"], "/tmp/cpconf-ours-ba9876543210"));
        string elsewhere = a.Replace("db/volatile", "db/persistent", StringComparison.Ordinal);
        Assert.NotEqual(
            OutputNormalizer.Normalize(a, ["getdbmap"], Dir),
            OutputNormalizer.Normalize(elsewhere, ["getdbmap"], Dir));
    }

    private static string N(string text, params string[] args) => OutputNormalizer.Normalize(text, args, Dir);
}
