// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net.Sockets;
using CtdbPcmk.Protocol;
using Xunit.Abstractions;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>
/// What a packet header declares costs the daemon nothing until the bytes arrive: many clients
/// that each announce a packet of the largest allowed size and then wait must neither grow the
/// daemon's memory nor stop it from serving the others.
/// </summary>
public sealed class DeclaredSizeTests : IDisposable
{
    private const int Clients = 700;
    private const int LargestPacket = 64 * 1024 * 1024;
    private const long AllowedGrowth = 100L * 1024 * 1024;

    // GET_PNN as smbd sends it (ctdb-protocol.md §7.1); the answer is 48 bytes.
    private static readonly byte[] s_getPnn = Convert.FromHexString(
        "3c00000042445443010000000000000007000000010000f00000000001000000" +
        "23000000000000000000000000000000000000000000000000000000");

    private readonly string _dir = Directory.CreateTempSubdirectory("cpk-size-").FullName;
    private readonly ITestOutputHelper _output;

    public DeclaredSizeTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A one-node daemon in <see cref="_dir"/>, leader at once; its client socket's path.</summary>
    private Process StartDaemon(out string socketPath)
    {
        var nodes = Path.Combine(_dir, "nodes");
        File.WriteAllText(nodes, "127.0.0.1\n");
        var config = Path.Combine(_dir, "ctdb.conf");
        File.WriteAllText(config,
            $"[logging]\n\tlocation = file:{_dir}/log\n\tlog level = NOTICE\n" +
            $"[database]\n\tvolatile database directory = {_dir}/db/volatile\n\tpersistent database directory = {_dir}/db/persistent\n" +
            $"\tstate database directory = {_dir}/db/state\n");
        socketPath = Path.Combine(_dir, "s");
        var psi = new ProcessStartInfo(RepoPaths.Daemon)
        {
            ArgumentList = { "--config", config, "--nodes", nodes, "--socket", socketPath, "--leader" },
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return Process.Start(psi)!;
    }

    [Fact]
    public void Headers_announcing_the_largest_packet_cost_no_memory_until_the_data_comes()
    {
        using var daemon = StartDaemon(out var socketPath);
        var waiting = new List<Socket>();
        try
        {
            using (var first = Connect(socketPath, TimeSpan.FromSeconds(30)))
            {
                Assert.Equal(0u, GetPnn(first));
            }
            var before = CommittedBytes(daemon.Id);

            var header = new byte[32];
            s_getPnn.AsSpan(0, 32).CopyTo(header);
            BinaryPrimitives.WriteUInt32LittleEndian(header, LargestPacket);
            for (var i = 0; i < Clients; i++)
            {
                var s = Connect(socketPath, TimeSpan.FromSeconds(5));
                waiting.Add(s);
                s.Send(header);
            }

            // Served while they wait; then give the event loop time to have read every header.
            using (var probe = Connect(socketPath, TimeSpan.FromSeconds(5)))
            {
                Assert.Equal(0u, GetPnn(probe));
            }
            Thread.Sleep(1000);
            Assert.False(daemon.HasExited, "daemon exited: " + (daemon.HasExited ? daemon.StandardError.ReadToEnd() : ""));
            var growth = CommittedBytes(daemon.Id) - before;
            _output.WriteLine($"{Clients} waiting clients that each announced {LargestPacket} bytes: committed memory {before / 1024} KiB -> {(before + growth) / 1024} KiB");
            Assert.True(growth < AllowedGrowth,
                $"{Clients} announced packets of {LargestPacket} bytes grew the daemon by {growth / (1024 * 1024)} MiB");

            // The waiting clients leave mid-packet; the daemon goes on serving.
            foreach (var s in waiting)
            {
                s.Dispose();
            }
            waiting.Clear();
            using var again = Connect(socketPath, TimeSpan.FromSeconds(5));
            Assert.Equal(0u, GetPnn(again));
        }
        finally
        {
            foreach (var s in waiting)
            {
                s.Dispose();
            }
            if (!daemon.HasExited)
            {
                daemon.Kill();
                daemon.WaitForExit();
            }
        }
    }

    [Fact]
    public void Clients_sending_packets_of_megabytes_at_once_cost_the_large_packet_budget_not_their_sum()
    {
        const int Senders = 12;
        const int Size = 12 * 1024 * 1024;
        const long Allowed = 64L * 1024 * 1024;
        using var daemon = StartDaemon(out var socketPath);
        try
        {
            using (var first = Connect(socketPath, TimeSpan.FromSeconds(30)))
            {
                Assert.Equal(0u, GetPnn(first));
            }
            long before = Status(daemon.Id, "VmRSS");
            // A message to a service nobody registered: read whole, then dropped.
            var packet = new byte[Size + 8];
            int length = new ReqMessage { Srvid = 0xDEAD_0000_0000_0001, Data = new byte[Size - ReqMessage.FixedSize] }
                .Write(packet, new PacketHeader(0, 0, Operation.ReqMessage, 0, 0, 0));
            var answered = new bool[Senders];
            var start = new Barrier(Senders);
            var threads = Enumerable.Range(0, Senders).Select(i => new Thread(() =>
            {
                using var s = Connect(socketPath, TimeSpan.FromSeconds(5));
                s.SendTimeout = s.ReceiveTimeout = 60_000;
                start.SignalAndWait();
                s.Send(packet, 0, length, SocketFlags.None);
                answered[i] = GetPnn(s) == 0;
            }) { IsBackground = true }).ToList();
            threads.ForEach(t => t.Start());
            Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(120)), "a sender was not answered"));
            Assert.All(answered, Assert.True);
            long peak = Status(daemon.Id, "VmHWM");
            _output.WriteLine($"{Senders} clients sending {Size} bytes each at once: resident {before / 1024} KiB before, peak {peak / 1024} KiB (+{(peak - before) / 1024} KiB)");
            Assert.True(peak - before < Allowed, $"peak {(peak - before) / (1024 * 1024)} MiB above the resident size before");
        }
        finally
        {
            if (!daemon.HasExited)
            {
                daemon.Kill();
                daemon.WaitForExit();
            }
        }
    }

    /// <summary>A size field of /proc/PID/status, in bytes.</summary>
    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    private static Socket Connect(string path, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveTimeout = 10_000 };
            try
            {
                s.Connect(new UnixDomainSocketEndPoint(path));
                return s;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                s.Dispose();
                Thread.Sleep(50);
            }
        }
    }

    private static uint GetPnn(Socket s)
    {
        s.Send(s_getPnn);
        var reply = new byte[48];
        var got = 0;
        while (got < reply.Length)
        {
            var n = s.Receive(reply, got, reply.Length - got, SocketFlags.None);
            Assert.True(n > 0, "daemon closed the connection");
            got += n;
        }
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(16))); // REPLY_CONTROL
        return BinaryPrimitives.ReadUInt32LittleEndian(reply.AsSpan(32));          // status: the PNN
    }

    /// <summary>
    /// The size of the process's private writable mappings: the memory it has committed (the
    /// GC commits its heap this way), whether or not the pages were touched yet. Resident size
    /// alone would miss a buffer that is allocated but still zero.
    /// </summary>
    private static long CommittedBytes(int pid)
    {
        long total = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/maps"))
        {
            var fields = line.Split(' ', 3);
            if (fields.Length >= 2 && fields[1] == "rw-p")
            {
                var range = fields[0].Split('-');
                total += Convert.ToInt64(range[1], 16) - Convert.ToInt64(range[0], 16);
            }
        }
        return total;
    }
}
