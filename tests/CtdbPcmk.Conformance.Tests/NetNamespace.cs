// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// A private network namespace with loopback up, so a server can listen on 127.0.0.1:445
/// without meeting anything else on the host. Deleted on dispose.
/// </summary>
internal sealed class NetNamespace : IAsyncDisposable
{
    private bool _exists;

    private NetNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<NetNamespace> CreateAsync()
    {
        var ns = new NetNamespace($"cpsmb-{Guid.NewGuid().ToString("N")[..10]}");
        await ProcessRunner.CheckAsync("ip", "netns", "add", ns.Name);
        ns._exists = true;
        try
        {
            await ProcessRunner.CheckAsync("ip", "-n", ns.Name, "link", "set", "lo", "up");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }
        return ns;
    }

    /// <summary>argv that runs <paramref name="program"/> inside the namespace (ip execs it: same PID).</summary>
    public IEnumerable<string> Exec(string program, params string[] args) =>
        new[] { "netns", "exec", Name, program }.Concat(args);

    public async ValueTask DisposeAsync()
    {
        if (_exists)
        {
            _exists = false;
            await ProcessRunner.CheckAsync("ip", "netns", "del", Name);
        }
    }
}
