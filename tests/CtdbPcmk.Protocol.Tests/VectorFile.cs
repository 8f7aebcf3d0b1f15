// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text.Json;

namespace CtdbPcmk.Protocol.Tests;

/// <summary>One captured packet: its bytes, direction and the stream it travelled on.</summary>
internal sealed record VectorPacket(string File, int Index, string Direction, byte[] Bytes, string Stream, string PeerStream)
{
    public override string ToString() => $"{File} packet #{Index} ({Direction})";
}

/// <summary>Loads the captured vectors copied next to the test assembly.</summary>
internal static class VectorFile
{
    public static string Directory => Path.Combine(AppContext.BaseDirectory, "vectors");

    public static IEnumerable<string> Names() =>
        System.IO.Directory.GetFiles(Directory, "*.json").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);

    public static List<VectorPacket> Load(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(Directory, name)));
        var root = doc.RootElement;
        var packets = new List<VectorPacket>();
        if (root.ValueKind == JsonValueKind.Array)
        {
            // Node-to-node capture: every packet has src/dst "ip:port". A reply travels on the
            // opposite TCP connection, so requests and replies are matched by node address.
            int i = 0;
            foreach (var p in root.EnumerateArray())
            {
                string src = Host(p.GetProperty("src").GetString()!);
                string dst = Host(p.GetProperty("dst").GetString()!);
                packets.Add(new VectorPacket(name, i++, "n2n", Convert.FromHexString(p.GetProperty("hex").GetString()!), src, dst));
            }
            return packets;
        }
        int index = 0;
        foreach (var p in root.GetProperty("packets").EnumerateArray())
        {
            string conn = p.TryGetProperty("conn", out var c) ? c.ToString() : "0";
            packets.Add(new VectorPacket(
                name, index++, p.GetProperty("direction").GetString()!,
                Convert.FromHexString(p.GetProperty("hex").GetString()!), conn, conn));
        }
        return packets;
    }

    private static string Host(string endPoint) => endPoint[..endPoint.LastIndexOf(':')];
}
