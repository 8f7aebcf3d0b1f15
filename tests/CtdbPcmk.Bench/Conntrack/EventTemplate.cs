// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>
/// One ctnetlink event message as the kernel sent it, with the places of its client address and
/// port (original source, reply destination) found, so that copies for other clients of the same
/// server are written by patching those bytes alone.
/// </summary>
internal sealed class EventTemplate
{
    private const ushort V4Src = 1;
    private const ushort V4Dst = 2;
    private const ushort PortSrc = 2;
    private const ushort PortDst = 3;

    private readonly byte[] _message;
    private readonly List<int> _addressAt = [];
    private readonly List<int> _portAt = [];

    public EventTemplate(byte[] message, IPEndPoint client)
    {
        _message = message;
        var address = client.Address.GetAddressBytes();
        Span<byte> port = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(port, (ushort)client.Port);
        for (int i = 16; i + 8 <= message.Length; i += 4)
        {
            ushort length = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(i));
            ushort type = (ushort)(BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(i + 2)) & 0x3FFF);
            if (length == 8 && type is V4Src or V4Dst && message.AsSpan(i + 4, 4).SequenceEqual(address))
            {
                _addressAt.Add(i + 4);
            }
            else if (length == 6 && type is PortSrc or PortDst && message.AsSpan(i + 4, 2).SequenceEqual(port))
            {
                _portAt.Add(i + 4);
            }
        }
        if (_addressAt.Count == 0 || _portAt.Count == 0)
        {
            throw new InvalidOperationException($"client {client} not found in the recorded message");
        }
    }

    public int Length => _message.Length;

    /// <summary>Places patched per message (for the report).</summary>
    public int Places => _addressAt.Count + _portAt.Count;

    /// <summary>A copy for client <paramref name="address"/>:<paramref name="port"/> (IPv4).</summary>
    public byte[] For(ReadOnlySpan<byte> address, int port)
    {
        var copy = (byte[])_message.Clone();
        foreach (int at in _addressAt)
        {
            address.CopyTo(copy.AsSpan(at));
        }
        foreach (int at in _portAt)
        {
            BinaryPrimitives.WriteUInt16BigEndian(copy.AsSpan(at), (ushort)port);
        }
        return copy;
    }
}
