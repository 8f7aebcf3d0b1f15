// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using CtdbPcmk.Linux;

namespace CtdbPcmk.Nfs;

/// <summary>
/// The shared RecoveryRoot of NFS-Ganesha's "fs" backends, laid out so that a grace for a taken
/// address finds the client records of the node that served it. Ganesha (clustered, started
/// with "-I N") keeps node N's records in v4recov/nodeN; for a takeover by address ("5:IP") it
/// reads IP/v4recov. So every node has by-node/N/v4recov, a link to v4recov/nodeN, and each
/// public address has IP, a link to by-node/N of the node that last took it. Links are replaced
/// by rename, so a reader sees either the old or the new holder.
/// </summary>
public sealed class RecoveryLayout
{
    private const string ByNode = "by-node";
    private const string Members = ".ctdb-pcmk-members";

    public RecoveryLayout(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>Makes node <paramref name="nodeId"/>'s directories and link (start of the nfs agent).</summary>
    public void PrepareNode(int nodeId)
    {
        var id = nodeId.ToString(CultureInfo.InvariantCulture);
        Directory.CreateDirectory(Path.Combine(Root, "v4recov", "node" + id));
        var nodeDirectory = Path.Combine(Root, ByNode, id);
        Directory.CreateDirectory(nodeDirectory);
        ReplaceLink(Path.Combine(nodeDirectory, "v4recov"), Path.Combine("..", "..", "v4recov", "node" + id));
    }

    /// <summary>The node that last took <paramref name="address"/>, or null when none did.</summary>
    public int? Holder(IPAddress address)
    {
        string? target;
        try
        {
            target = new FileInfo(AddressLink(address)).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        if (target is null)
        {
            return null;
        }
        var name = Path.GetFileName(target);
        return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    /// <summary>Records node <paramref name="nodeId"/> as the holder of <paramref name="address"/>.</summary>
    public void SetHolder(IPAddress address, int nodeId) =>
        ReplaceLink(AddressLink(address), Path.Combine(ByNode, nodeId.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Where a takeover grace for <paramref name="address"/> reads client records.</summary>
    public string AddressLink(IPAddress address) => Path.Combine(Root, address.ToString());

    /// <summary>Registers this node by its Pacemaker name (read by peers to check that the root is shared).</summary>
    public void Register(string nodeName, int nodeId)
    {
        var directory = Path.Combine(Root, Members);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, nodeName);
        File.WriteAllText(path + ".new", nodeId.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(path + ".new", path, overwrite: true);
    }

    /// <summary>Whether <paramref name="nodeName"/> registered itself here.</summary>
    public bool IsRegistered(string nodeName) => File.Exists(Path.Combine(Root, Members, nodeName));

    private static void ReplaceLink(string path, string target) => AtomicLink.Replace(path, target);
}
