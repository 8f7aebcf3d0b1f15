// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.Portblock.Tests;

/// <summary>The shared TCP peers run inside a test's namespaces (killed by PID through <see cref="Netns"/>).</summary>
internal static class TcpPeers
{
    public static Process StartServer(Netns ns, string address, int port) =>
        TestSupport.TcpPeers.AwaitServer(ns.Start(TestSupport.TcpPeers.ServerCommand(address, port)), $"in {ns.Name}");

    public static (Process Process, int LocalPort) Connect(Netns ns, string address, int port) =>
        TestSupport.TcpPeers.AwaitClient(ns.Start(TestSupport.TcpPeers.ClientCommand(address, port)));

    public static (string Outcome, long MonotonicNs) Outcome(Process client, int timeoutMs) =>
        TestSupport.TcpPeers.Outcome(client, timeoutMs);

    public static string? ReadLine(Process process, int timeoutMs) => TestSupport.TcpPeers.ReadLine(process, timeoutMs);

    public static long MonotonicNs() => TestSupport.TcpPeers.MonotonicNs();
}
