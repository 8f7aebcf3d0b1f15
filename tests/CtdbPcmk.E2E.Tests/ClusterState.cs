// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.E2E.Tests;

/// <summary>Names of the box's resources and small questions about them.</summary>
internal static class ClusterState
{
    public const string Vip1 = "192.168.78.101";
    public const string Vip2 = "192.168.78.102";
    public const string DaemonClone = "ctdb-clone";
    public const string ClientIp = "192.168.78.200";

    /// <summary>The primitives of the two VIP groups (one instance each, moving with the address).</summary>
    public static readonly string[] AddressResources =
        ["vip1", "vip1-unblock", "vip2", "vip2-unblock"];

    public static readonly string[] Resources =
        ["vip1", "vip1-unblock", "vip2", "vip2-unblock", "ctdb", "samba", "conntrack", "nfs"];

    public static string Vip(int index) => index == 1 ? Vip1 : Vip2;

    /// <summary>Every node running again and every resource started (after a test that changed it).</summary>
    public static void Restore(Box box)
    {
        foreach (var node in new[] { 1, 2, 3 }.Except(box.RunningNodes()))
        {
            box.Start(node);
        }

        box.WaitStarted();
    }

    /// <summary>
    /// Waits until Pacemaker has no transition left to run (crm_resource --wait): a test that
    /// changed placement (a red node back to green, a cleared move) leaves resources moving back
    /// for a moment after they all report started.
    /// </summary>
    public static void Settle(Box box) =>
        box.ExecOk(box.RunningNodes()[0], "crm_resource", "--wait", "--timeout=120");

    public static int Promoted(Box box, int viaNode)
    {
        var promoted = CrmMon.InRole(box.CrmMon(viaNode), DaemonClone, "Promoted");
        Assert.True(promoted.Count == 1, $"promoted instances: [{string.Join(' ', promoted)}]");
        return CrmMon.NodeNumber(promoted[0]);
    }

    /// <summary>`ctdb status` from node N's daemon, through the Debian tool inside the node.</summary>
    public static CtdbStatus Ctdb(Box box, int node)
    {
        var r = box.Exec(node, "ctdb", "status");
        return r.Code == 0 ? CtdbStatus.Parse(r.Stdout) : new CtdbStatus(new Dictionary<int, string>(), 0, "unreachable: " + r.Stderr.Trim(), "");
    }
}
