// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net.Sockets;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// A bare client connection that sends hand-made controls, including ones the ctdb tool never
/// sends, and reads the daemon's replies with the protocol library's codecs.
/// </summary>
internal sealed class RawCtdbConnection : IDisposable
{
    private readonly Socket _socket;
    private uint _reqId = 0x10000;

    private RawCtdbConnection(Socket socket) => _socket = socket;

    public static async Task<RawCtdbConnection> ConnectAsync(string socketPath)
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await s.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            return new RawCtdbConnection(s);
        }
        catch
        {
            s.Dispose();
            throw;
        }
    }

    /// <summary>The answer to one control: status, data and error text.</summary>
    internal sealed record Reply(int Status, byte[] Data, string Error);

    /// <summary>
    /// Sends a control to the node the client is connected to and waits for the reply with
    /// the same request id, skipping anything else the daemon sends meanwhile (messages).
    /// </summary>
    public async Task<Reply> ControlAsync(ControlOpcode opcode, byte[]? data = null, TimeSpan? timeout = null)
    {
        uint reqId = _reqId++;
        var body = data ?? [];
        var buffer = new byte[Packet.WireSize(ReqControl.FixedSize + body.Length)];
        var header = new PacketHeader(0, 0, Operation.ReqControl, WireFormat.CurrentNode, WireFormat.UnknownPnn, reqId);
        int n = new ReqControl { Opcode = opcode, Data = body }.Write(buffer, header);
        await _socket.SendAsync(buffer.AsMemory(0, n));

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var packet = await ReadPacketAsync(cts.Token);
            var h = PacketHeader.Read(packet);
            if (h.Operation != Operation.ReplyControl || h.ReqId != reqId)
            {
                continue;
            }
            var r = ReplyControl.Read(packet);
            return new Reply(r.Status, r.Data.ToArray(), r.ErrorText());
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task<byte[]> ReadPacketAsync(CancellationToken ct)
    {
        var lengthBytes = new byte[4];
        await ReadExactlyAsync(lengthBytes, ct);
        uint length = BinaryPrimitives.ReadUInt32LittleEndian(lengthBytes);
        if (length < PacketHeader.Size || length > WireFormat.MaxPacketSize)
        {
            throw new InvalidDataException($"daemon sent a packet length of {length}");
        }
        var packet = new byte[length];
        lengthBytes.CopyTo(packet, 0);
        await ReadExactlyAsync(packet.AsMemory(4), ct);
        return packet;
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, CancellationToken ct)
    {
        while (!buffer.IsEmpty)
        {
            int n = await _socket.ReceiveAsync(buffer, SocketFlags.None, ct);
            if (n == 0)
            {
                throw new EndOfStreamException("daemon closed the connection");
            }
            buffer = buffer[n..];
        }
    }
}
