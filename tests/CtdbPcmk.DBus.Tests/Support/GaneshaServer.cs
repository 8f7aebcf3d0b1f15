// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.DBus.Tests;

/// <summary>
/// A real ganesha.nfsd (NFSv4 only, one VFS export, on a free port of 127.0.0.1) registered on a
/// <see cref="TestBus"/>. It daemonizes; its PID is read from the pid file and it is ended by that PID.
/// </summary>
public sealed class GaneshaServer : IDisposable
{
    private GaneshaServer(string dir, int pid)
    {
        Dir = dir;
        Pid = pid;
    }

    public string Dir { get; }

    public int Pid { get; }

    public string Log => Path.Combine(Dir, "ganesha.log");

    public static GaneshaServer Start(TestBus bus)
    {
        var dir = Path.Combine(bus.Dir, "ganesha");
        Directory.CreateDirectory(Path.Combine(dir, "recov"));
        Directory.CreateDirectory(Path.Combine(dir, "exp"));
        var conf = Path.Combine(dir, "ganesha.conf");
        File.WriteAllText(conf, string.Create(CultureInfo.InvariantCulture, $$"""
            NFS_CORE_PARAM { Protocols = 4; NFS_Port = {{FreePort()}}; Enable_NLM = false; Enable_RQUOTA = false; Bind_addr = 127.0.0.1; }
            NFSv4 { RecoveryBackend = fs; RecoveryRoot = {{dir}}/recov; Grace_Period = 20; Lease_Lifetime = 10; }
            EXPORT { Export_Id = 1; Path = {{dir}}/exp; Pseudo = /share; Access_Type = RW; Squash = No_Root_Squash; Protocols = 4; Transports = TCP; FSAL { Name = VFS; } }
            """));
        var pidFile = Path.Combine(dir, "ganesha.pid");
        var info = new ProcessStartInfo("ganesha.nfsd") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-f", conf, "-L", Path.Combine(dir, "ganesha.log"), "-p", pidFile, "-N", "NIV_EVENT" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DBUS_SYSTEM_BUS_ADDRESS"] = bus.Address;
        using (var parent = Process.Start(info)!)
        {
            var stderr = parent.StandardError.ReadToEndAsync();
            parent.StandardOutput.ReadToEnd();
            parent.WaitForExit();
            if (parent.ExitCode != 0)
            {
                throw new InvalidOperationException($"ganesha.nfsd exited {parent.ExitCode}: {stderr.Result}");
            }
        }
        var pid = 0;
        if (!SpinWait.SpinUntil(() => File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out pid), TimeSpan.FromSeconds(30)))
        {
            throw new InvalidOperationException($"ganesha.nfsd wrote no pid file; log: {Tail(Path.Combine(dir, "ganesha.log"))}");
        }
        var server = new GaneshaServer(dir, pid);
        try
        {
            server.WaitRegistered(bus, TimeSpan.FromSeconds(30));
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    /// <summary>Until its admin object answers a ping (ganesha registers on the bus late in its start).</summary>
    private void WaitRegistered(TestBus bus, TimeSpan timeout)
    {
        using var connection = bus.Connect();
        var admin = new GaneshaAdmin(connection, TimeSpan.FromSeconds(5));
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                admin.Ping();
                return;
            }
            catch (DBusException) when (DateTime.UtcNow < deadline && Pids.IsAlive(Pid))
            {
                Thread.Sleep(100);
            }
            catch (DBusException e)
            {
                throw new InvalidOperationException($"ganesha.nfsd (pid {Pid}) did not register on the bus: {e.Message}; log: {Tail(Log)}", e);
            }
        }
    }

    public void Dispose() => Pids.Terminate(Pid, TimeSpan.FromSeconds(15));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Tail(string file) =>
        File.Exists(file) ? string.Join('\n', File.ReadLines(file).TakeLast(10)) : "(no log)";
}
