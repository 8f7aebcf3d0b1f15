// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.E2E.Tests;

/// <summary>The shared TCP peers placed in the box: a server inside a node on a VIP, a client at the box's client address.</summary>
internal static class TcpPeers
{
    public static Process StartServer(Box box, int node, string address, int port) =>
        TestSupport.TcpPeers.AwaitServer(box.StartInNode(node, TestSupport.TcpPeers.ServerCommand(address, port)), $"on n{node}");

    public static (Process Process, int LocalPort) Connect(Box box, string address, int port) =>
        TestSupport.TcpPeers.AwaitClient(box.StartClient(TestSupport.TcpPeers.ClientCommand(address, port)));

    public static (string Outcome, long MonotonicNs) Outcome(Process client, int timeoutMs) =>
        TestSupport.TcpPeers.Outcome(client, timeoutMs);

    public static long MonotonicNs() => TestSupport.TcpPeers.MonotonicNs();
}
