// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.TestSupport.Ganesha;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>
/// A test's own temporary directory, D-Bus daemons and ganesha instances, all removed on
/// dispose. The export directory and the recovery root are shared by the instances (as on
/// shared storage); each instance gets its own bus, since each registers the same bus name.
/// </summary>
internal sealed class GaneshaHost : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public GaneshaHost()
    {
        Dir = Path.Combine(Path.GetTempPath(), $"cpk-nfs-{Guid.NewGuid().ToString("N")[..10]}");
        Directory.CreateDirectory(Dir);
        ExportPath = Path.Combine(Dir, "exp");
        RecoveryRoot = Path.Combine(Dir, "recov");
    }

    public string Dir { get; }

    public string ExportPath { get; }

    public string RecoveryRoot { get; }

    /// <summary>Options for an instance on <paramref name="address"/> and a free port.</summary>
    public GaneshaOptions Options(string address = "127.0.0.1", int? nodeId = null)
    {
        string work = Path.Combine(Dir, nodeId is { } n ? $"node{n}" : "node");
        Directory.CreateDirectory(work);
        return new GaneshaOptions(work, FreePort(address), RecoveryRoot, ExportPath) { Address = address, NodeId = nodeId };
    }

    /// <summary>Starts ganesha with its own bus.</summary>
    public GaneshaProcess Start(GaneshaOptions options)
    {
        var bus = DBusDaemonProcess.Start(options.WorkDir);
        _owned.Add(bus);
        var ganesha = GaneshaProcess.Start(options, bus);
        _owned.Add(ganesha);
        return ganesha;
    }

    /// <summary>Starts ganesha again on a bus an earlier instance used.</summary>
    public GaneshaProcess Restart(GaneshaProcess previous)
    {
        var ganesha = GaneshaProcess.Start(previous.Options, previous.Bus);
        _owned.Add(ganesha);
        return ganesha;
    }

    public void Dispose()
    {
        // Ganesha first, then the buses they used.
        foreach (var item in Enumerable.Reverse(_owned))
        {
            item.Dispose();
        }
        Directory.Delete(Dir, recursive: true);
    }

    private static int FreePort(string address)
    {
        using var listener = new TcpListener(IPAddress.Parse(address), 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
