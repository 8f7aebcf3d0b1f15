// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using CtdbPcmk.Linux;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Nfs;

/// <summary>
/// What ocf:ctdb:vip needs to put this node's NFS-Ganesha in grace when it takes an address
/// over, and to let go of the address's clients when it releases one: written by the nfs
/// agent's start to a file under HA_RSCTMP, removed by its stop.
/// </summary>
/// <param name="RecoveryRoot">The shared RecoveryRoot (null for the RADOS backends: no links to keep).</param>
/// <param name="NodeId">This node's ganesha node id ("-I").</param>
/// <param name="BusAddress">The D-Bus address ganesha was started with.</param>
public sealed record NfsTakeover(string? RecoveryRoot, int NodeId, string BusAddress)
{
    /// <summary>NFS-Ganesha's grace events (the number before ':' in the grace argument).</summary>
    public const int EventReleaseIp = 2;
    public const int EventTakeIp = 5;

    private const string FileName = "ctdb-nfs.takeover";

    /// <summary>The file in <paramref name="stateDirectory"/>.</summary>
    public static string PathIn(string stateDirectory) => Path.Combine(stateDirectory, FileName);

    /// <summary>Reads the file; null when the nfs agent does not run on this node.</summary>
    public static NfsTakeover? Load(string stateDirectory) => StateFile.Load(PathIn(stateDirectory), Parse);

    public void Save(string stateDirectory) => StateFile.Save(PathIn(stateDirectory),
        string.Create(CultureInfo.InvariantCulture, $"node_id={NodeId}\nbus={BusAddress}\nrecovery_root={RecoveryRoot}\n"));

    private static NfsTakeover Parse(string text)
    {
        var values = StateFile.ParseValues(text);
        if (!values.TryGetValue("node_id", out var id) || !int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var nodeId)
            || !values.TryGetValue("bus", out var bus))
        {
            throw new InvalidDataException("no node_id or bus");
        }
        var root = values.GetValueOrDefault("recovery_root");
        return new NfsTakeover(string.IsNullOrEmpty(root) ? null : root, nodeId, bus);
    }

    /// <summary>Removes the file; nothing to do when it, or HA_RSCTMP itself, does not exist.</summary>
    public static void Remove(string stateDirectory)
    {
        try
        {
            File.Delete(PathIn(stateDirectory));
        }
        catch (DirectoryNotFoundException)
        {
            // A stop on a node where nothing ever started: no state directory yet.
        }
    }

    /// <summary>
    /// Before <paramref name="address"/> comes up here: when another node served it last, ganesha
    /// enters grace for it ("5:address"), reading that node's client records so that its clients
    /// reclaim their opens and locks before anyone else may take them; then this node becomes the
    /// recorded holder. Nothing to reclaim when no node, or this one, served it last.
    /// </summary>
    public void Take(IPAddress address, Func<NfsTakeover, IGaneshaAdmin> connect, OcfLog log)
    {
        var layout = RecoveryRoot is null ? null : new RecoveryLayout(RecoveryRoot);
        var holder = layout?.Holder(address);
        if (layout is not null && holder == NodeId)
        {
            log.Info($"{address} was last served by this node (ganesha node {NodeId}): no grace needed");
            return;
        }
        if (layout is not null && holder is null)
        {
            log.Info($"{address} has no earlier holder in {RecoveryRoot}: no clients to reclaim, no grace");
            layout.SetHolder(address, NodeId);
            return;
        }
        using (var admin = connect(this))
        {
            var argument = $"{EventTakeIp}:{address}";
            var (ok, message) = admin.Grace(argument);
            if (!ok)
            {
                throw new GaneshaAdminException($"NFS-Ganesha refused grace(\"{argument}\"): {message}");
            }
            log.Info($"NFS-Ganesha grace(\"{argument}\"): {message}" + (holder is { } h ? $"; clients of node {h} may reclaim" : ""));
        }
        layout?.SetHolder(address, NodeId);
    }

    /// <summary>
    /// Before <paramref name="address"/> goes away here: ganesha lets go of the clients that came
    /// in through it ("2:address"), keeping their records so that they can reclaim on the node
    /// that takes the address.
    /// </summary>
    public void Release(IPAddress address, Func<NfsTakeover, IGaneshaAdmin> connect, OcfLog log)
    {
        using var admin = connect(this);
        var argument = $"{EventReleaseIp}:{address}";
        var (ok, message) = admin.Grace(argument);
        if (!ok)
        {
            throw new GaneshaAdminException($"NFS-Ganesha refused grace(\"{argument}\"): {message}");
        }
        log.Info($"NFS-Ganesha released the clients of {address}: {message}");
    }
}
