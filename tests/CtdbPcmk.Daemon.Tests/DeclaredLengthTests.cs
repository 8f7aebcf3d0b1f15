// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;

namespace CtdbPcmk.Daemon.Tests;

/// <summary>
/// Headers that declare huge packets and then wait cost the daemon next to nothing: its
/// buffers grow only as bytes arrive. (700 such connections once took a daemon to 17.9 GB.)
/// </summary>
public sealed class DeclaredLengthTests
{
    [Fact]
    public void Seven_hundred_connections_declaring_64_MiB_packets_cost_little_memory()
    {
        using var cluster = LocalCluster.Start(DaemonKind.Ours, 1, ClusterReadiness.Stable, TimeSpan.FromSeconds(90));
        int pid = int.Parse(cluster.Ok("pid", "0").Trim(), CultureInfo.InvariantCulture);
        long before = RssKiB(pid);
        var header = new byte[32];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 64u << 20);        // length: the protocol's maximum
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), 0x43544442); // "BDTC"
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), 1);          // version
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 7);         // REQ_CONTROL
        var sockets = new List<Socket>();
        try
        {
            for (int i = 0; i < 700; i++)
            {
                var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                sockets.Add(s);
                s.Connect(new UnixDomainSocketEndPoint(cluster.Socket(0)));
                s.Send(header);
            }
            Thread.Sleep(500);
            long during = RssKiB(pid);
            // The daemon still answers, with every one of those connections open.
            Assert.Contains("pnn:0", cluster.Ctdb(0, "status").Stdout, StringComparison.Ordinal);
            Console.WriteLine($"note: 700 connections declaring 64 MiB packets: daemon RSS {before / 1024.0:F1} -> {during / 1024.0:F1} MiB");
            // 16 KiB of buffer per connection at most, and some slack for the allocator.
            Assert.True(during - before < 700 * 16 + 32 * 1024, $"RSS grew from {before} KiB to {during} KiB");
        }
        finally
        {
            sockets.ForEach(s => s.Dispose());
        }
    }

    private static long RssKiB(int pid)
    {
        foreach (string line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"no VmRSS for process {pid}");
    }
}
