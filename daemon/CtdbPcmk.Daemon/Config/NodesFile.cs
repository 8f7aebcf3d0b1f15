// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;

namespace CtdbPcmk.Daemon.Config;

/// <summary>
/// The CTDB nodes file: one private address per line, in PNN order. A line starting with '#'
/// is a deleted node: it still takes a PNN (null entry) so the nodes after it keep theirs.
/// Blank lines are skipped and do not take a PNN.
/// </summary>
internal static class NodesFile
{
    public static IReadOnlyList<IPAddress?> Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigError(path, 0, $"cannot read nodes file: {e.Message}");
        }
        return Parse(path, text);
    }

    public static IReadOnlyList<IPAddress?> Parse(string path, string text)
    {
        var nodes = new List<IPAddress?>();
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
                continue;
            if (line[0] == '#')
            {
                nodes.Add(null);
                continue;
            }
            if (!LooksLikeAddress(line) || !IPAddress.TryParse(line, out var address))
                throw new ConfigError(path, i + 1, $"invalid node address '{line}'");
            var seen = nodes.FindIndex(n => address.Equals(n));
            if (seen >= 0)
                throw new ConfigError(path, i + 1, $"duplicate node address {line} (already PNN {seen})");
            nodes.Add(address);
        }
        if (nodes.TrueForAll(n => n is null))
            throw new ConfigError(path, 0, "no node addresses");
        return nodes;
    }

    /// <summary>
    /// True for a full dotted-quad IPv4 address or anything with a ':' (IPv6). Rejects the short
    /// inet_aton forms ("10.1", "167772161") that IPAddress.TryParse would accept.
    /// </summary>
    public static bool LooksLikeAddress(string text) =>
        text.Contains(':', StringComparison.Ordinal) ||
        (text.Split('.').Length == 4 && text.All(c => char.IsAsciiDigit(c) || c == '.'));

    /// <summary>
    /// The PNN of this host: the index of <paramref name="nodeAddress"/> when given, else the first
    /// address this host can bind a TCP socket to. Throws <see cref="ConfigError"/> when none fits.
    /// </summary>
    public static uint FindPnn(string path, IReadOnlyList<IPAddress?> nodes, IPAddress? nodeAddress)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (node is null)
                continue;
            if (nodeAddress is not null ? node.Equals(nodeAddress) : CanBind(node))
                return (uint)i;
        }
        throw new ConfigError(path, 0, nodeAddress is not null
            ? $"node address {nodeAddress} is not in the nodes file"
            : "none of the node addresses is an address of this host (set 'node address' or --node-address)");
    }

    private static bool CanBind(IPAddress address)
    {
        try
        {
            using var s = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            s.Bind(new IPEndPoint(address, 0));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
