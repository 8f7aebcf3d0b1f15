// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.ClusterKit;

namespace CtdbPcmk.Cluster.Tests;

/// <summary>
/// A private network namespace with loopback up: each smbd of a pair listens on 127.0.0.1:445
/// in its own, like two machines. Deleted on dispose.
/// </summary>
internal sealed class SmbNamespace : IDisposable
{
    private bool _exists;

    private SmbNamespace(string name) => Name = name;

    public string Name { get; }

    public static SmbNamespace Create()
    {
        var ns = new SmbNamespace($"cpk3smb-{Guid.NewGuid().ToString("N")[..8]}");
        Check(Run.Program("ip", ["netns", "add", ns.Name]));
        ns._exists = true;
        try
        {
            Check(Run.Program("ip", ["-n", ns.Name, "link", "set", "lo", "up"]));
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
            Check(Run.Program("ip", ["netns", "del", Name]));
        }
    }

    private static void Check(RunResult r)
    {
        if (!r.Ok)
        {
            throw new InvalidOperationException($"ip netns: {r}");
        }
    }
}
