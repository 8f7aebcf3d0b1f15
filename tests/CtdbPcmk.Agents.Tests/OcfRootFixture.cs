// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Agents.Tests;

/// <summary>
/// An OCF root with the published Native AOT agents, built once per test run with
/// agents/install-ocf-root.sh (or taken from CTDBPCMK_OCF_ROOT when that points at one).
/// </summary>
public sealed class OcfRootFixture : IDisposable
{
    private readonly string? _temp;

    public OcfRootFixture()
    {
        var given = Environment.GetEnvironmentVariable("CTDBPCMK_OCF_ROOT");
        if (!string.IsNullOrEmpty(given))
        {
            Root = given;
        }
        else
        {
            _temp = Directory.CreateTempSubdirectory("ctdbpcmk-ocfroot-").FullName;
            // A temp directory is 0700; ocf-tester runs the agent through paths it must be
            // able to traverse, as an installed OCF root (0755) allows.
            File.SetUnixFileMode(_temp, (UnixFileMode)0x1ED);
            Root = _temp;
            var r = Sh.Run(Path.Combine(RepoPaths.Root, "agents/install-ocf-root.sh"), [Root, "Release"], timeoutMs: 900_000);
            if (r.Code != 0)
            {
                throw new InvalidOperationException($"install-ocf-root.sh failed: {r.Stdout}{r.Stderr}");
            }
        }
        Binary = Path.Combine(Root, "lib/ctdb/ctdb-ocf");
        if (!File.Exists(Binary))
        {
            throw new FileNotFoundException("agent binary missing", Binary);
        }
    }

    public string Root { get; }

    public string Binary { get; }

    public string Agent(string name) => Path.Combine(Root, "resource.d/ctdb", name);

    public void Dispose()
    {
        if (_temp is not null)
        {
            Directory.Delete(_temp, recursive: true);
        }
    }
}
