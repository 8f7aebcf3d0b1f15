// SPDX-License-Identifier: GPL-3.0-or-later
using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.Conntrack.Tracker;
using CtdbPcmk.Linux.Netlink;

namespace CtdbPcmk.Bench.Conntrack;

/// <summary>
/// Records the kernel's own NEW and DESTROY messages for one connection to the public address:
/// a conntrack event socket in the server namespace, a client connecting from the client
/// namespace, and the entry deleted with conntrack -D (which the kernel reports as DESTROY).
/// </summary>
internal static class EventRecorder
{
    public sealed record Recorded(EventTemplate New, EventTemplate Destroy, int NewLength, int DestroyLength);

    public static Recorded Record(BenchLab lab)
    {
        byte[]? created = null;
        byte[]? destroyed = null;
        IPEndPoint? client = null;
        using var subscribed = new ManualResetEventSlim();
        var reader = lab.Server.Start(() =>
        {
            using var events = new ConntrackEventSocket(4 << 20, TimeSpan.FromMilliseconds(100));
            subscribed.Set();
            var buffer = new byte[65536];
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed < TimeSpan.FromSeconds(10) && (created is null || destroyed is null))
            {
                if (events.Receive(buffer, true, out int length) != ConntrackEventSocket.ReceiveResult.Data)
                {
                    continue;
                }
                int messageLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer);
                var message = buffer.AsSpan(0, Math.Min(messageLength, length)).ToArray();
                if (!ConntrackMessage.TryRead(message, out var flow) || !flow.Server.Address.Equals(BenchLab.Vip) || flow.Server.Port != BenchLab.Port)
                {
                    continue;
                }
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4));
                if (flow.Change == FlowChange.Opened && created is null)
                {
                    created = message;
                    client = flow.Client;
                }
                else if ((type & 0xFF) == 2 && created is not null && flow.Client.Equals(client))
                {
                    destroyed = message;
                }
            }
        });
        subscribed.Wait();
        var socket = lab.Client.Run(() =>
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            s.Connect(new IPEndPoint(BenchLab.Vip, BenchLab.Port));
            return s;
        });
        Wait.Until(() => created is not null, TimeSpan.FromSeconds(5), "the kernel's NEW event");
        BenchLab.In(lab.Server, "conntrack", "-D", "-p", "tcp", "--dport", BenchLab.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        reader.Join();
        socket.Dispose();
        lab.DropKept();
        if (created is null || destroyed is null || client is null)
        {
            throw new InvalidOperationException("no NEW and DESTROY recorded from the kernel");
        }
        return new Recorded(new EventTemplate(created, client), new EventTemplate(destroyed, client), created.Length, destroyed.Length);
    }
}
