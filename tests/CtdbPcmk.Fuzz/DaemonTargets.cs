// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net.Sockets;
using CtdbPcmk.Protocol;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// The input as what a client writes to the daemon's socket (<c>client</c>), and as the packets
/// node 1 sends over its link (<c>node</c>). Crashes: the daemon's loop ending, a bystander
/// client's ping failing, the fuzzed connection not ending within 10 s of its last byte, and
/// (node) any exception other than <see cref="ProtocolException"/> from the packet handler,
/// which the transport would turn into a lost link.
/// </summary>
public static class DaemonTargets
{
    private static readonly Lazy<InProcessDaemon> s_daemon = new(() => new InProcessDaemon());

    /// <summary>The daemon the targets share (started on first use; lives as long as the process).</summary>
    public static InProcessDaemon Daemon => s_daemon.Value;

    public static IEnumerable<IFuzzTarget> All()
    {
        yield return new CodecTarget("client", AsClient);
        yield return new CodecTarget("node", AsNode);
    }

    /// <summary>Writes the input on a new client connection, half-closes it and waits for the daemon to close it.</summary>
    public static void AsClient(ReadOnlySpan<byte> input)
    {
        if (PacketScan.HasUnwantedControl(input))
        {
            return;
        }
        var daemon = Daemon;
        using (var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            s.Connect(new UnixDomainSocketEndPoint(daemon.SocketPath));
            s.ReceiveTimeout = 10_000;
            s.SendTimeout = 10_000;
            var drain = new byte[4096];
            int sent = 0;
            while (sent < input.Length)
            {
                // The daemon may close the connection on a malformed packet before all is written.
                try
                {
                    sent += s.Send(input[sent..]);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown)
                {
                    break;
                }
            }
            try
            {
                s.Shutdown(SocketShutdown.Send);
                while (s.Receive(drain) > 0)
                {
                }
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.NotConnected)
            {
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut)
            {
                daemon.CheckAlive();
                throw new TimeoutException("the daemon did not close a half-closed client connection within 10 s");
            }
        }
        daemon.CheckAlive();
        daemon.Bystander.Ping();
    }

    /// <summary>Cuts the input into packets as node 1's link would and hands each to the daemon's node links.</summary>
    public static void AsNode(ReadOnlySpan<byte> input)
    {
        if (PacketScan.HasUnwantedControl(input))
        {
            return;
        }
        var daemon = Daemon;
        var packets = new List<byte[]>();
        try
        {
            var reader = new FrameReader(256);
            int at = 0;
            while (at < input.Length)
            {
                var free = reader.FreeSpace();
                int n = Math.Min(free.Length, input.Length - at);
                input.Slice(at, n).CopyTo(free);
                reader.Advance(n);
                at += n;
                while (reader.TryTake(out int offset, out int length))
                {
                    packets.Add(reader.Buffer.Span.Slice(offset, length).ToArray());
                }
            }
        }
        catch (ProtocolException)
        {
            // The link would be dropped here; what came before it was delivered.
        }
        var links = daemon.Daemon.Links;
        try
        {
            daemon.OnLoop(() =>
            {
                foreach (var packet in packets)
                {
                    if ((packet.Length & (WireFormat.Alignment - 1)) != 0)
                    {
                        return; // the transport drops the link
                    }
                    links.OnNodePacket(1, packet);
                }
            });
        }
        catch (ProtocolException)
        {
        }
        daemon.CheckAlive();
        daemon.Bystander.Ping();
    }
}
