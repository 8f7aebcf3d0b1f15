// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Net.Sockets;

namespace CtdbPcmk.Client.Tests;

/// <summary>A Unix socket peer that misbehaves as a daemon never should: the client must fail clearly.</summary>
public sealed class BrokenDaemonTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ctdbpcmk-broken-").FullName;
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    public BrokenDaemonTests()
    {
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(1);
    }

    private string SocketPath => Path.Combine(_dir, "ctdbd.socket");

    public void Dispose()
    {
        _listener.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void A_daemon_closing_the_connection_fails_the_request_and_every_later_one()
    {
        using var c = CtdbClient.Connect(SocketPath);
        _listener.Accept().Dispose();
        // Depending on timing the send fails (broken pipe) or the read sees end of stream.
        var e = Assert.Throws<CtdbConnectionException>(() => c.PingRaw());
        Assert.Contains(SocketPath, e.Message, StringComparison.Ordinal);
        var again = Assert.Throws<CtdbConnectionException>(() => c.GetPnn());
        Assert.Contains("is closed: ", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reply_with_a_bad_magic_is_reported_as_malformed()
    {
        using var c = CtdbClient.Connect(SocketPath);
        using var peer = _listener.Accept();
        var reply = new byte[48];
        BinaryPrimitives.WriteUInt32LittleEndian(reply, 48);
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(4), 0x12345678);
        BinaryPrimitives.WriteUInt32LittleEndian(reply.AsSpan(8), 1);
        peer.Send(reply);
        var e = Assert.Throws<CtdbConnectionException>(() => c.PingRaw());
        Assert.Contains("malformed", e.Message, StringComparison.Ordinal);
        Assert.Contains("magic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_silent_daemon_times_out_without_closing_the_connection()
    {
        using var c = CtdbClient.Connect(SocketPath);
        using var peer = _listener.Accept();
        c.Timeout = TimeSpan.FromMilliseconds(200);
        Assert.Throws<TimeoutException>(() => c.PingRaw());
        // The late reply to the abandoned request is skipped; the next one is matched by reqid.
        var late = new byte[48];
        var next = new byte[48];
        WriteReply(late, reqId: 1, status: 7);
        WriteReply(next, reqId: 2, status: 3);
        peer.Send(late);
        peer.Send(next);
        c.Timeout = TimeSpan.FromSeconds(5);
        Assert.Equal(3, c.PingRaw());
    }

    private static void WriteReply(byte[] b, uint reqId, int status)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(b, (uint)b.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(4), 0x43544442);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(8), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(16), 8);
        BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(28), reqId);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(32), status);
    }
}
