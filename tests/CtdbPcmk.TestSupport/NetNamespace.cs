// SPDX-License-Identifier: GPL-3.0-or-later
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
