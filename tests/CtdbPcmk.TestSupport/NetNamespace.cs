// SPDX-License-Identifier: GPL-3.0-or-later
using System.Runtime.InteropServices;

namespace CtdbPcmk.TestSupport;

/// <summary>
/// A private network namespace with loopback up, so a server (smbd) can listen on
/// 127.0.0.1:445 without meeting anything else on the host, as if on a machine of its own.
/// Deleted on dispose.
/// </summary>
public sealed class NetNamespace : IDisposable
{
    private bool _exists;

    private NetNamespace(string name) => Name = name;

    public string Name { get; }

    public static NetNamespace Create()
    {
        var ns = new NetNamespace($"cpkns-{Guid.NewGuid().ToString("N")[..10]}");
        Check(Sh.Run("ip", "netns", "add", ns.Name));
        ns._exists = true;
        try
        {
            Check(Sh.Run("ip", "-n", ns.Name, "link", "set", "lo", "up"));
        }
        catch
        {
            ns.Dispose();
            throw;
        }
        return ns;
    }

    /// <summary>argv for "ip" that runs <paramref name="program"/> inside the namespace (ip execs it: same PID).</summary>
    public IEnumerable<string> Exec(string program, params string[] args) =>
        new[] { "netns", "exec", Name, program }.Concat(args);

    /// <summary>
    /// Runs <paramref name="work"/> on a thread of its own that has entered the namespace
    /// (setns(2) moves only the calling thread): sockets it opens, and threads it starts, live
    /// in the namespace. Returns what it returned; rethrows what it threw.
    /// </summary>
    public T Run<T>(Func<T> work) => RunIn(Name, work);

    /// <summary>
    /// <see cref="Run{T}"/> in any named namespace (one of /var/run/netns), e.g. a box's client
    /// side: a socket connected there keeps the namespace after the thread ends.
    /// </summary>
    public static T RunIn<T>(string name, Func<T> work)
    {
        T result = default!;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(name);
                result = work();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException($"in namespace {name}: {failure.Message}", failure);
        }
        return result;
    }

    /// <summary>Starts a thread inside the namespace running <paramref name="work"/>.</summary>
    public Thread Start(Action work)
    {
        var thread = new Thread(() =>
        {
            Enter(Name);
            work();
        })
        { IsBackground = true };
        thread.Start();
        return thread;
    }

    private static void Enter(string name)
    {
        using var fd = File.OpenHandle($"/var/run/netns/{name}");
        if (setns(fd.DangerousGetHandle().ToInt32(), CloneNewNet) != 0)
        {
            throw new InvalidOperationException($"setns {name}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    private const int CloneNewNet = 0x40000000;

    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);

    public void Dispose()
    {
        if (_exists)
        {
            _exists = false;
            Check(Sh.Run("ip", "netns", "del", Name));
        }
    }

    private static void Check(Sh.Result r)
    {
        if (!r.Ok)
        {
            throw new InvalidOperationException($"ip netns: {r}");
        }
    }
}
