// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// Fuzzes a running daemon (ours or ctdbd) through its client socket and its node port with
/// mutated captured packets, over many short connections, while a well-behaved client pings it
/// and its RssAnon and descriptors are sampled. Phases: warm-up (the seeds as captured), a
/// settled baseline, the fuzzing, then the settle after the fuzzer has disconnected.
/// </summary>
public static class LiveFuzzer
{
    public static int Execute(string[] args)
    {
        LiveOptions o;
        try
        {
            o = LiveOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine($"live: {e.Message}");
            return 2;
        }
        var report = Run(o);
        string text = report.ToString();
        Console.WriteLine(text);
        if (o.Report is not null)
        {
            File.AppendAllText(o.Report, text + Environment.NewLine);
        }
        var broken = report.Broken(o);
        foreach (var b in broken)
        {
            Console.Error.WriteLine($"live {o.Label}: {b}");
        }
        return o.Assert && broken.Count > 0 ? 1 : 0;
    }

    public static LiveReport Run(LiveOptions o)
    {
        var clientSeeds = Load(o.Corpus);
        var nodeSeeds = Load(o.NodeCorpus);
        using var watch = new ProcessWatch(o.Pid, o.Databases);
        var r = new LiveReport { Label = o.Label };

        // Warm-up: the captured traffic as it was, so caches and pools the daemon keeps for
        // normal work exist before the baseline.
        var counter = new Counter(o.Warmup);
        RunWorkers(o, counter, clientSeeds, nodeSeeds, mutate: false, watch);
        Thread.Sleep(2000);
        r.BaselineRssKb = watch.RssAnonKb();
        r.IdleFds = watch.OpenFds();
        var idleTargets = watch.FdTargets();
        r.TdbsBefore = watch.MappedTdbs();

        using var pinger = new Pinger(o.Socket, TimeSpan.FromMilliseconds(50));
        pinger.Start();
        watch.Start(TimeSpan.FromMilliseconds(10));
        var clock = Stopwatch.StartNew();
        counter = new Counter(o.Packets);
        r.Connections = RunWorkers(o, counter, clientSeeds, nodeSeeds, mutate: true, watch);
        r.Seconds = clock.Elapsed.TotalSeconds;
        r.Packets = counter.Sent;
        r.DiedAfterPackets = counter.DiedAt;
        pinger.Dispose();
        watch.Dispose();
        r.PeakRssKb = watch.PeakRssAnonKb;
        r.RssSamples = watch.Samples;
        r.Latencies = pinger.Latencies();
        r.PingFailures = pinger.Failures;
        r.LastPingFailure = pinger.LastFailure;

        // Settle: descriptors back to idle and RssAnon back near the baseline, within 30 s.
        var settle = Stopwatch.StartNew();
        while (watch.Alive && settle.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (watch.OpenFds() <= r.IdleFds && watch.RssAnonKb() - r.BaselineRssKb <= o.SettleAllowanceKb)
            {
                break;
            }
            Thread.Sleep(100);
        }
        r.SettleSeconds = settle.Elapsed.TotalSeconds;
        r.Alive = watch.Alive;
        r.FinalRssKb = watch.RssAnonKb();
        r.FinalFds = watch.OpenFds();
        r.ExtraFds = Kinds(Without(watch.FdTargets(), idleTargets));
        r.TdbsAfter = watch.MappedTdbs();
        return r;
    }

    /// <summary>The descriptors of <paramref name="after"/> beyond those of <paramref name="before"/>.</summary>
    private static List<string> Without(List<string> after, List<string> before)
    {
        var left = new List<string>(after);
        foreach (var target in before)
        {
            left.Remove(target);
        }
        return left;
    }

    /// <summary>"socket x3, /path x1": sockets, pipes and anonymous inodes counted by kind.</summary>
    private static string Kinds(List<string> targets) => string.Join(", ", targets
        .Select(t => t.IndexOf(":[", StringComparison.Ordinal) is int i and > 0 ? t[..i] : t)
        .GroupBy(k => k, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key} x{g.Count()}"));

    private static List<byte[]> Load(IEnumerable<string> dirs) =>
        [.. dirs.SelectMany(d => Directory.GetFiles(d).Order(StringComparer.Ordinal)).Select(File.ReadAllBytes).Where(b => b.Length > 0)];

    /// <summary>Packets still to send, shared by the workers; the count at the daemon's death.</summary>
    private sealed class Counter(long total)
    {
        private long _sent;

        public long Sent => Interlocked.Read(ref _sent);
        public long DiedAt { get; set; } = -1;

        public bool Take() => Interlocked.Increment(ref _sent) <= total;

        public void Undo() => Interlocked.Decrement(ref _sent);
    }

    private static long RunWorkers(LiveOptions o, Counter counter, List<byte[]> clientSeeds, List<byte[]> nodeSeeds,
        bool mutate, ProcessWatch watch)
    {
        long connections = 0;
        var threads = new Thread[o.Connections];
        for (int w = 0; w < threads.Length; w++)
        {
            int worker = w;
            threads[w] = new Thread(() =>
            {
                var random = new Random(o.Seed * 1000 + worker);
                var clientMut = new Mutator(clientSeeds, o.Seed * 1000 + worker);
                var nodeMut = nodeSeeds.Count > 0 ? new Mutator(nodeSeeds, o.Seed * 2000 + worker) : null;
                bool useNode = o.Node is not null && nodeMut is not null && worker % 4 == 3;
                int seedIndex = worker;
                while (counter.DiedAt < 0)
                {
                    if (!watch.Alive)
                    {
                        counter.DiedAt = counter.Sent;
                        return;
                    }
                    Interlocked.Increment(ref connections);
                    int burst = 1 + random.Next(64);
                    bool more = useNode
                        ? OneConnection(() => ConnectNode(o), burst, counter, random,
                            () => mutate ? nodeMut!.Next() : nodeSeeds[seedIndex++ % nodeSeeds.Count])
                        : OneConnection(() => ConnectClient(o), burst, counter, random,
                            () => mutate ? clientMut.Next() : clientSeeds[seedIndex++ % clientSeeds.Count]);
                    if (!more)
                    {
                        return;
                    }
                }
            })
            { IsBackground = true, Name = $"fuzz-{w}" };
            threads[w].Start();
        }
        foreach (var t in threads)
        {
            t.Join();
        }
        if (counter.DiedAt < 0 && !watch.Alive)
        {
            counter.DiedAt = counter.Sent;
        }
        return connections;
    }

    private static Socket ConnectClient(LiveOptions o)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(o.Socket));
        return s;
    }

    private static Socket ConnectNode(LiveOptions o)
    {
        var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (o.Bind is not null)
        {
            s.Bind(new IPEndPoint(o.Bind, 0));
        }
        s.Connect(o.Node!);
        return s;
    }

    /// <summary>
    /// One connection: up to <paramref name="burst"/> packets, replies read as they come, then
    /// closed (sometimes with replies unread). False when all packets have been sent.
    /// </summary>
    private static bool OneConnection(Func<Socket> connect, int burst, Counter counter, Random random, Func<byte[]> next)
    {
        Socket s;
        try
        {
            s = connect();
        }
        catch (SocketException)
        {
            Thread.Sleep(10);
            return true;
        }
        using (s)
        {
            s.SendTimeout = 1000;
            var drain = new byte[65536];
            for (int i = 0; i < burst; i++)
            {
                if (!counter.Take())
                {
                    counter.Undo();
                    return false;
                }
                try
                {
                    s.Send(next());
                    while (s.Available > 0 && s.Receive(drain) > 0)
                    {
                    }
                }
                catch (SocketException)
                {
                    return true; // closed by the daemon (malformed input) or not read in time
                }
            }
            if (random.Next(4) != 0)
            {
                // Give the daemon a moment to answer, and read what it says.
                s.ReceiveTimeout = 20;
                try
                {
                    while (s.Receive(drain) > 0)
                    {
                    }
                }
                catch (SocketException)
                {
                }
            }
        }
        return true;
    }
}

/// <summary>Figures of one live run, and the bounds they are checked against.</summary>
public sealed class LiveReport
{
    public string Label { get; init; } = "";
    public long Packets { get; set; }
    public long Connections { get; set; }
    public double Seconds { get; set; }
    public long DiedAfterPackets { get; set; } = -1;
    public bool Alive { get; set; }
    public long BaselineRssKb { get; set; }
    public long PeakRssKb { get; set; }
    public long FinalRssKb { get; set; }
    public long RssSamples { get; set; }
    public double SettleSeconds { get; set; }
    public int IdleFds { get; set; }
    public int FinalFds { get; set; }
    public string ExtraFds { get; set; } = "";
    public int TdbsBefore { get; set; }
    public int TdbsAfter { get; set; }
    public double[] Latencies { get; set; } = [];
    public int PingFailures { get; set; }
    public string? LastPingFailure { get; set; }

    public List<string> Broken(LiveOptions o)
    {
        var broken = new List<string>();
        if (!Alive || DiedAfterPackets >= 0)
        {
            broken.Add($"the daemon died after {DiedAfterPackets} packets");
            return broken;
        }
        if (PingFailures > 0)
        {
            broken.Add($"{PingFailures} pings failed (last: {LastPingFailure})");
        }
        if (Latencies.Length == 0)
        {
            broken.Add("no ping was answered");
        }
        if (PeakRssKb - BaselineRssKb > o.PeakAllowanceKb)
        {
            broken.Add($"peak RssAnon {PeakRssKb} kB is {PeakRssKb - BaselineRssKb} kB above the warmed-up {BaselineRssKb} kB (allowed {o.PeakAllowanceKb})");
        }
        if (FinalRssKb - BaselineRssKb > o.SettleAllowanceKb)
        {
            broken.Add($"RssAnon {FinalRssKb} kB after the run is {FinalRssKb - BaselineRssKb} kB above the warmed-up {BaselineRssKb} kB (allowed {o.SettleAllowanceKb})");
        }
        if (FinalFds > IdleFds)
        {
            broken.Add($"{FinalFds} descriptors open after the run, {IdleFds} when idle (new: {ExtraFds})");
        }
        return broken;
    }

    public override string ToString()
    {
        var sorted = Latencies.Order().ToArray();
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
        var sb = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        sb.Append(c, $"{Label}: packets {Packets}, connections {Connections}, {Seconds:F1} s ({(Seconds > 0 ? Packets / Seconds : 0):F0} packets/s); ");
        sb.Append(DiedAfterPackets >= 0 || !Alive ? $"DIED after {DiedAfterPackets} packets; " : "alive; ");
        sb.Append(c, $"RssAnon kB: warmed-up {BaselineRssKb}, peak {PeakRssKb} (+{PeakRssKb - BaselineRssKb}), after {FinalRssKb} (+{FinalRssKb - BaselineRssKb}) settled in {SettleSeconds:F1} s, {RssSamples} samples; ");
        sb.Append(c, $"fds idle {IdleFds}, after {FinalFds}{(ExtraFds.Length > 0 ? $" (new: {ExtraFds})" : "")}; mapped databases {TdbsBefore} -> {TdbsAfter}; ");
        sb.Append(c, $"pings {sorted.Length} answered, {PingFailures} failed, p50 {P(0.5):F2} ms, p99 {P(0.99):F2} ms, max {(sorted.Length > 0 ? sorted[^1] : double.NaN):F2} ms");
        return sb.ToString();
    }
}
