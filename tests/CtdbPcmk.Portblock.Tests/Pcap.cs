// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>Reads the IP packets of a classic little-endian pcap file with Ethernet framing.</summary>
internal static class Pcap
{
    private const uint Magic = 0xa1b2c3d4;
    private const int EthernetHeader = 14;

    public static List<byte[]> IpPackets(string path)
    {
        var data = File.ReadAllBytes(path);
        Assert.True(data.Length >= 24 && BinaryPrimitives.ReadUInt32LittleEndian(data) == Magic, "not a little-endian pcap file");
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(20)));   // LINKTYPE_ETHERNET
        var packets = new List<byte[]>();
        for (var off = 24; off + 16 <= data.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(off + 8));
            var frame = data.AsSpan(off + 16, length);
            var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame[12..]);
            if (etherType is 0x0800 or 0x86DD)
            {
                packets.Add(frame[EthernetHeader..].ToArray());
            }

            off += 16 + length;
        }

        return packets;
    }
}
