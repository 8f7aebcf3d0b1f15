// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;

namespace CtdbPcmk.Server.Tests;

public sealed class MalformedInputTests : IClassFixture<DaemonFixture>
{
    private readonly DaemonFixture _daemon;

    public MalformedInputTests(DaemonFixture daemon) => _daemon = daemon;

    // GET_PNN exactly as smbd sends it: 60 bytes, not padded (ctdb-protocol.md §7.1).
    private static readonly byte[] s_unpaddedGetPnn = Convert.FromHexString(
        "3c00000042445443010000000000000007000000010000f00000000001000000" +
        "23000000000000000000000000000000000000000000000000000000");

    public static TheoryData<string, string> BadPackets => new()
    {
        { "garbage", "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20" },
        { "length shorter than a header", "10000000424454430100000000000000" },
        { "zero length", "00000000424454430100000000000000" },
        { "oversized length", "ffffff7f424454430100000000000000" },
        { "bad magic", "40000000deadbeef010000000000000007000000010000f000000000010000002300000000000000000000000000000000000000000000000000000000000000" },
        { "bad version", "4000000042445443020000000000000007000000010000f000000000010000002300000000000000000000000000000000000000000000000000000000000000" },
        { "control data past the end", "4000000042445443010000000000000007000000010000f00000000001000000230000000000000000000000000000000000000000000000ff00000000000000" },
        { "call with empty key", "3800000042445443010000000000000000000000000000000000000001000000010000004dd8197a010000ff000000000000000000000000" },
        { "unknown operation", "2800000042445443010000000000000063000000010000f0000000000100000000000000" + "00000000" },
    };

    [Theory]
    [MemberData(nameof(BadPackets))]
    public void Bad_packet_closes_only_that_connection(string what, string hex)
    {
        using var bystander = _daemon.Connect();
        using var bad = RawConnect();
        bad.Send(Convert.FromHexString(hex));
        Assert.True(ClosedByPeer(bad), $"{what}: connection was not closed");
        Assert.Equal(0u, bystander.GetPnn());
        using var again = _daemon.Connect();
        Assert.Equal(0u, again.GetPnn());
    }

    [Fact]
    public void Truncated_packet_waits_for_the_rest_and_a_close_mid_packet_is_harmless()
    {
        using (var partial = RawConnect())
        {
            partial.Send(s_unpaddedGetPnn.AsSpan(0, 20));
            Thread.Sleep(50);
            partial.Send(s_unpaddedGetPnn.AsSpan(20));
            var reply = new byte[48];
            int n = ReadExactly(partial, reply);
            Assert.Equal(48, n); // padded to 8 on output
            Assert.Equal(8u, BitConverter.ToUInt32(reply, 16)); // REPLY_CONTROL
            Assert.Equal(1u, BitConverter.ToUInt32(reply, 28)); // reqid echoed
            partial.Send(s_unpaddedGetPnn.AsSpan(0, 30));
        }
        using var c = _daemon.Connect();
        Assert.Equal(0u, c.GetPnn());
    }

    private Socket RawConnect()
    {
        var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        s.Connect(new UnixDomainSocketEndPoint(_daemon.SocketPath));
        s.ReceiveTimeout = 5000;
        return s;
    }

    private static bool ClosedByPeer(Socket s)
    {
        var buf = new byte[256];
        try
        {
            while (true)
            {
                int n = s.Receive(buf);
                if (n == 0)
                {
                    return true;
                }
            }
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int ReadExactly(Socket s, byte[] buffer)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = s.Receive(buffer, total, buffer.Length - total, SocketFlags.None);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }
}
