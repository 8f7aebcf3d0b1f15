// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text.Json;

namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// A throw-away network namespace with a veth pair: v0 (where the agent works, 192.0.2.1/24 and
/// 2001:db8::1/64) and its peer v1 (where captures listen). Deleted on dispose.
/// </summary>
internal sealed class Netns : IDisposable
{
    private static int s_counter;

    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("ctdbpcmk-rsctmp-");

    public Netns()
    {
        Name = $"ctdbpcmk-vip-{Environment.ProcessId}-{Interlocked.Increment(ref s_counter)}";
        Sh.Check("ip", "netns", "add", Name);
        try
        {
            Ip("link", "set", "lo", "up");
            Ip("link", "add", "v0", "type", "veth", "peer", "name", "v1");
            Ip("link", "set", "v0", "up");
            Ip("link", "set", "v1", "up");
            Ip("addr", "add", "192.0.2.1/24", "dev", "v0");
            Ip("-6", "addr", "add", "2001:db8::1/64", "dev", "v0", "nodad");
            // Without carrier-independent DAD noise: the peer answers nothing.
            Exec("sysctl", "-q", "-w", "net.ipv6.conf.v1.accept_dad=0");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public string Name { get; }

    /// <summary>The HA_RSCTMP of the agent runs in this namespace.</summary>
    public string StateDir => _state.FullName;

    public Sh.Result Ip(params string[] args) => Sh.Check("ip", ["-n", Name, .. args]);

    public Sh.Result Exec(string program, params string[] args) => Sh.Check("ip", ["netns", "exec", Name, program, .. args]);

    /// <summary>Runs an agent action inside the namespace with OCF_RESKEY_* parameters.</summary>
    public Sh.Result Agent(string path, string action, IReadOnlyDictionary<string, string> parameters, params string[] prefix) =>
        Agent(path, [action], parameters, prefix);

    /// <summary>Runs an agent's action with the arguments that follow it (its own actions take some).</summary>
    public Sh.Result Agent(string path, string[] argv, IReadOnlyDictionary<string, string> parameters, params string[] prefix)
    {
        var env = new Dictionary<string, string>
        {
            ["OCF_ROOT"] = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "../..")),
            ["OCF_RESOURCE_INSTANCE"] = "vip-test",
            ["HA_RSCTMP"] = _state.FullName,
        };
        foreach (var (k, v) in parameters)
        {
            env[k.StartsWith("OCF_", StringComparison.Ordinal) || k.StartsWith("HA_", StringComparison.Ordinal) ? k : "OCF_RESKEY_" + k] = v;
        }
        return Sh.Run("ip", ["netns", "exec", Name, .. prefix, path, .. argv], env);
    }

    /// <summary>The addresses on an interface as (address, prefix, label, flags) from ip -j.</summary>
    public List<(string Address, int Prefix, string? Label, string[] Flags, string? Broadcast)> Addresses(string dev)
    {
        var json = Ip("-j", "addr", "show", "dev", dev).Stdout;
        var result = new List<(string, int, string?, string[], string?)>();
        using var doc = JsonDocument.Parse(json);
        foreach (var link in doc.RootElement.EnumerateArray())
        {
            foreach (var a in link.GetProperty("addr_info").EnumerateArray())
            {
                var flags = new List<string>();
                foreach (var f in new[] { "tentative", "deprecated", "dadfailed", "nodad", "noprefixroute" })
                {
                    if (a.TryGetProperty(f, out var v) && v.ValueKind == JsonValueKind.True)
                    {
                        flags.Add(f);
                    }
                }
                result.Add((a.GetProperty("local").GetString()!, a.GetProperty("prefixlen").GetInt32(),
                    a.TryGetProperty("label", out var l) ? l.GetString() : null, flags.ToArray(),
                    a.TryGetProperty("broadcast", out var b) ? b.GetString() : null));
            }
        }
        return result;
    }

    public byte[] Mac(string dev)
    {
        using var doc = JsonDocument.Parse(Ip("-j", "link", "show", "dev", dev).Stdout);
        return Convert.FromHexString(doc.RootElement[0].GetProperty("address").GetString()!.Replace(":", "", StringComparison.Ordinal));
    }

    public void Dispose()
    {
        Sh.Run("ip", ["netns", "del", Name]);
        _state.Delete(recursive: true);
    }
}
