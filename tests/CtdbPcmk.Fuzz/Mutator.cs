// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// Mutates captured packets for the live fuzzer: bit flips, interesting bytes and words in the
/// header and the body (operation, destination, control opcode, declared lengths), truncation,
/// appended bytes, splices of two seeds. Most results get a length field that matches, so they
/// reach the decoders rather than the framing. One packet in <see cref="BigEvery"/> is a large,
/// well-formed message or control (1-16 MB of data) for node 1 or for all nodes, which the
/// daemon forwards. Never a SHUTDOWN control.
/// </summary>
public sealed class Mutator(IReadOnlyList<byte[]> seeds, int seed)
{
    private static readonly uint[] s_interesting =
        [0, 1, 2, 7, 8, 31, 32, 33, 63, 64, 255, 256, 4095, 4096, 65535, 65536, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

    private static readonly uint[] s_nodes = [0, 1, 2, 0xF0000001, 0xF0000002, 0xF0000003, 0xF0000004, 0xFFFFFFFF];

    public const int BigEvery = 5000;

    private readonly Random _random = new(seed);

    public byte[] Next()
    {
        if (_random.Next(BigEvery) == 0)
        {
            return Big();
        }
        var src = seeds[_random.Next(seeds.Count)];
        var p = new List<byte>(src);
        int steps = 1 + _random.Next(4);
        for (int i = 0; i < steps; i++)
        {
            Step(p);
        }
        var packet = p.ToArray();
        if (packet.Length >= 4 && _random.Next(100) < 85)
        {
            if (_random.Next(2) == 0 && (packet.Length & 7) != 0)
            {
                Array.Resize(ref packet, WireFormat.Align(packet.Length));
            }
            BinaryPrimitives.WriteUInt32LittleEndian(packet, (uint)packet.Length);
        }
        if (PacketScan.HasUnwantedControl(packet, takeover: false))
        {
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(WireFormat.HeaderSize), (uint)ControlOpcode.Ping);
        }
        return packet;
    }

    private byte[] Big()
    {
        int dataLength = (1 + _random.Next(16)) * 1024 * 1024 - _random.Next(64);
        bool message = _random.Next(2) == 0;
        int head = message ? 48 : 60;
        var p = new byte[WireFormat.Align(head + dataLength)];
        var header = new PacketHeader((uint)p.Length, 0, message ? Operation.ReqMessage : Operation.ReqControl,
            _random.Next(2) == 0 ? 1u : WireFormat.BroadcastAll, 0, (uint)_random.Next());
        header.Write(p);
        if (message)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(p.AsSpan(32), (ulong)_random.NextInt64());
            BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(40), (uint)dataLength);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(32), (uint)ControlOpcode.Ping + (uint)_random.Next(2) * 100);
            BinaryPrimitives.WriteUInt32LittleEndian(p.AsSpan(56), (uint)dataLength);
        }
        _random.NextBytes(p.AsSpan(head, dataLength));
        return p;
    }

    private void Step(List<byte> p)
    {
        switch (_random.Next(12))
        {
            case 0 when p.Count > 0:
                p[_random.Next(p.Count)] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when p.Count > 0:
                p[_random.Next(p.Count)] = (byte)s_interesting[_random.Next(s_interesting.Length)];
                break;
            case 2 when p.Count >= 4:
                SetWord(p, _random.Next(p.Count / 4) * 4, s_interesting[_random.Next(s_interesting.Length)]);
                break;
            case 3 when p.Count >= 36:
                SetWord(p, 32, (uint)_random.Next(160)); // control opcode (or the first body word)
                break;
            case 4 when p.Count >= 60:
                SetWord(p, 56, s_interesting[_random.Next(s_interesting.Length)]); // control datalen
                break;
            case 5:
                p.RemoveRange(_random.Next(p.Count + 1), 0);
                if (p.Count > 0)
                {
                    int cut = _random.Next(p.Count);
                    p.RemoveRange(cut, p.Count - cut);
                }
                break;
            case 6:
                int extra = _random.Next(20) == 0 ? _random.Next(65536) : _random.Next(1, 257);
                for (int i = 0; i < extra; i++)
                {
                    p.Add((byte)_random.Next(256));
                }
                break;
            case 7 when p.Count > 0:
                var other = seeds[_random.Next(seeds.Count)];
                int at = _random.Next(p.Count);
                int from = _random.Next(other.Length);
                p.RemoveRange(at, p.Count - at);
                p.AddRange(other.AsSpan(from).ToArray());
                break;
            case 8 when p.Count >= 20:
                SetWord(p, 16, (uint)_random.Next(12)); // operation
                break;
            case 9 when p.Count >= 24:
                SetWord(p, 20, s_nodes[_random.Next(s_nodes.Length)]); // destnode
                break;
            case 10 when p.Count >= 8:
                int start = _random.Next(p.Count);
                int len = Math.Min(p.Count - start, 1 + _random.Next(16));
                for (int i = 0; i < len; i++)
                {
                    p[start + i] = (byte)_random.Next(256);
                }
                break;
            default:
                if (p.Count >= 48)
                {
                    SetWord(p, 40 + (_random.Next(3) * 4), s_interesting[_random.Next(s_interesting.Length)]); // body lengths
                }
                break;
        }
    }

    private static void SetWord(List<byte> p, int offset, uint value)
    {
        if (offset + 4 > p.Count)
        {
            return;
        }
        for (int i = 0; i < 4; i++)
        {
            p[offset + i] = (byte)(value >> (8 * i));
        }
    }
}
