// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.TestSupport;

namespace CtdbPcmk.Nfs.Tests;

/// <summary>ocf-tester against the published ocf:ctdb:nfs (the Native AOT multi-call binary through its "nfs" link).</summary>
public sealed class NfsOcfTesterTests
{
    [Fact]
    public void Ocf_tester_passes()
    {
        using var box = new NfsSandbox();
        // ocf-tester runs the agent as root and as nobody (meta-data): the tree must be traversable.
        File.SetUnixFileMode(box.Shared, (UnixFileMode)0x1ED);
        var env = box.Environment();
        List<string> args = ["-n", "nfs-test"];
        foreach (var (name, value) in env)
        {
            if (name.StartsWith("OCF_RESKEY_", StringComparison.Ordinal) && !name.StartsWith("OCF_RESKEY_CRM_", StringComparison.Ordinal))
            {
                args.AddRange(["-o", $"{name["OCF_RESKEY_".Length..]}={value}"]);
            }
        }
        args.Add(OcfRoot.Agent("nfs"));
        var r = Sh.Run("ocf-tester", args, new Dictionary<string, string> { ["OCF_ROOT"] = OcfRoot.Path, ["HA_RSCTMP"] = box.StateDirectory }, 300_000);
        Assert.True(r.Code == 0, r.Stdout + r.Stderr + box.LogTail());
        Assert.Contains("passed all tests", r.Stdout);
        Assert.Null(box.State);
    }
}
