// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// Looks through a byte stream packet by packet (by the length fields only) for controls the
/// daemon targets must not send: SHUTDOWN ends the daemon by design, TAKEOVER_IP sends
/// gratuitous ARPs and tickle ACKs on the host's interfaces (harmless in a namespace of its
/// own: takeover false).
/// </summary>
public static class PacketScan
{
    public static bool HasUnwantedControl(ReadOnlySpan<byte> stream, bool takeover = true)
    {
        while (stream.Length >= WireFormat.HeaderSize + 4)
        {
            uint length = BinaryPrimitives.ReadUInt32LittleEndian(stream);
            uint operation = BinaryPrimitives.ReadUInt32LittleEndian(stream[16..]);
            if (operation == (uint)Operation.ReqControl)
            {
                var opcode = (ControlOpcode)BinaryPrimitives.ReadUInt32LittleEndian(stream[WireFormat.HeaderSize..]);
                if (opcode == ControlOpcode.Shutdown || (takeover && opcode == ControlOpcode.TakeoverIp))
                {
                    return true;
                }
            }
            if (length < WireFormat.HeaderSize || length >= (uint)stream.Length)
            {
                return false;
            }
            stream = stream[(int)length..];
        }
        return false;
    }
}
