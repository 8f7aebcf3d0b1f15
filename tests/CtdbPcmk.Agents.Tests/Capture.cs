// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// A tshark capture inside a namespace: a capture filter, a packet count and a time limit, so it
/// always ends; killed by its PID if still running when disposed.
/// </summary>
internal sealed class Capture : IDisposable
{
    private readonly Process _process;
    private readonly string _file;

    public Capture(Netns ns, string dev, string filter, int count, int seconds)
    {
        _file = Path.Combine(Path.GetTempPath(), $"ctdbpcmk-cap-{Environment.ProcessId}-{Guid.NewGuid():N}.pcap");
        // dumpcap drops privileges to write; create the file for it.
        File.WriteAllBytes(_file, []);
        var info = new ProcessStartInfo("ip")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "netns", "exec", ns.Name, "tshark", "-q", "-i", dev, "-f", filter, "-c", count.ToString(System.Globalization.CultureInfo.InvariantCulture), "-a", $"duration:{seconds}", "-F", "pcap", "-w", _file })
        {
            info.ArgumentList.Add(a);
        }
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        // tshark reports "Capture started." once dumpcap runs with the filter installed.
        var ready = new TaskCompletionSource();
        var errors = new System.Text.StringBuilder();
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetResult();
                return;
            }
            errors.AppendLine(e.Data);
            if (e.Data.Contains("Capture started", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        _process.BeginErrorReadLine();
        if (!ready.Task.Wait(TimeSpan.FromSeconds(30)) || _process.HasExited)
        {
            Dispose();
            throw new InvalidOperationException("tshark did not start capturing: " + errors);
        }
    }

    /// <summary>Waits for the capture to end and returns the captured frames.</summary>
    public List<byte[]> Frames(int timeoutMs = 30_000)
    {
        if (!_process.WaitForExit(timeoutMs))
        {
            throw new TimeoutException("tshark did not stop");
        }
        _process.WaitForExit();
        return ReadPcap(File.ReadAllBytes(_file));
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        finally
        {
            _process.Dispose();
            File.Delete(_file);
        }
    }

    /// <summary>Waits for the capture to end and returns the frames with their capture times in seconds.</summary>
    public List<(double Time, byte[] Frame)> TimedFrames(int timeoutMs = 30_000)
    {
        Frames(timeoutMs);
        var pcap = File.ReadAllBytes(_file).AsSpan();
        var frames = new List<(double, byte[])>();
        var offset = 24;
        while (offset + 16 <= pcap.Length)
        {
            var time = BinaryPrimitives.ReadUInt32LittleEndian(pcap[offset..]) + (BinaryPrimitives.ReadUInt32LittleEndian(pcap[(offset + 4)..]) / 1e6);
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(pcap[(offset + 8)..]);
            offset += 16;
            frames.Add((time, pcap.Slice(offset, length).ToArray()));
            offset += length;
        }
        return frames;
    }

    /// <summary>Frames of a classic little-endian pcap file.</summary>
    public static List<byte[]> ReadPcap(ReadOnlySpan<byte> pcap)
    {
        var frames = new List<byte[]>();
        if (pcap.Length < 24 || BinaryPrimitives.ReadUInt32LittleEndian(pcap) != 0xA1B2C3D4)
        {
            throw new InvalidDataException("not a little-endian pcap file");
        }
        var offset = 24;
        while (offset + 16 <= pcap.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(pcap[(offset + 8)..]);
            offset += 16;
            frames.Add(pcap.Slice(offset, length).ToArray());
            offset += length;
        }
        return frames;
    }
}
