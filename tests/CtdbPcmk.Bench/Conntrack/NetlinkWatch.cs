// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>
/// Watches the conntrack event sockets (NETLINK_NETFILTER subscribed to groups 1-3) of a network
/// namespace through /proc/PID/net/netlink of a process inside it: the receive queue's peak
/// fill (Rmem) and the kernel's drop count, sampled every 10 ms while running.
/// </summary>
internal sealed class NetlinkWatch : IDisposable
{
    private readonly string _path;
    private readonly Thread _thread;
    private volatile bool _stop;

    public NetlinkWatch(int pidInNamespace)
    {
        _path = $"/proc/{pidInNamespace}/net/netlink";
        StartDrops = Read().Drops;
        _thread = new Thread(Sample) { IsBackground = true, Name = "netlink watch" };
        _thread.Start();
    }

    public long StartDrops { get; }
    public long PeakRmem { get; private set; }
    public long Drops { get; private set; }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        Drops = Read().Drops - StartDrops;
    }

    private void Sample()
    {
        while (!_stop)
        {
            var (rmem, _) = Read();
            PeakRmem = Math.Max(PeakRmem, rmem);
            Thread.Sleep(10);
        }
    }

    private (long Rmem, long Drops) Read()
    {
        long rmem = 0;
        long drops = 0;
        try
        {
            var lines = File.ReadAllLines(_path);
            var header = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int eth = Array.IndexOf(header, "Eth");
            int groups = Array.IndexOf(header, "Groups");
            int rm = Array.IndexOf(header, "Rmem");
            int dr = Array.IndexOf(header, "Drops");
            foreach (var line in lines.Skip(1))
            {
                var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (f.Length > dr && f[eth] == "12" && f[groups] == "00000007")
                {
                    rmem += long.Parse(f[rm], CultureInfo.InvariantCulture);
                    drops += long.Parse(f[dr], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return (rmem, drops);
    }
}
