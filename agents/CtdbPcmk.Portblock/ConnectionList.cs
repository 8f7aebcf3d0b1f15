// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CtdbPcmk.Portblock;

/// <summary>
/// The per-address connection file in tickle_dir, in the stock agent's format: one connection
/// per line, "server_ip:port&lt;TAB&gt;client_ip:port". IPv6 endpoints are written "[addr]:port";
/// on reading, any whitespace separates the two ends, either order is accepted (the end on the
/// protected address is the server), and bare IPv6 "addr:port" is accepted as well.
/// </summary>
internal static class ConnectionList
{
    public static List<TcpConnection> Parse(string text, IPAddress server, out int rejected)
    {
        var result = new List<TcpConnection>();
        rejected = 0;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2 || !TryParseEndpoint(fields[0], out var a) || !TryParseEndpoint(fields[1], out var b))
            {
                rejected++;
                continue;
            }

            if (a.Address.Equals(server))
            {
                result.Add(new TcpConnection(a, b));
            }
            else if (b.Address.Equals(server))
            {
                result.Add(new TcpConnection(b, a));
            }
            else
            {
                rejected++;
            }
        }

        return result.Distinct().ToList();
    }

    public static string Format(IEnumerable<TcpConnection> connections)
    {
        var text = new StringBuilder();
        foreach (var c in connections)
        {
            text.Append(FormatEndpoint(c.Server)).Append('\t').Append(FormatEndpoint(c.Client)).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>
    /// Replaces the file atomically (write a temporary file, fsync, rename) so a node taking over
    /// from a shared directory never reads a truncated list. The temporary file is this writer's
    /// own (host name and a random part): two nodes that both hold the address for a moment (a split
    /// cluster without fencing) write in the shared directory at the same time, and the last
    /// rename wins instead of one of them failing.
    /// </summary>
    public static void Write(string path, IEnumerable<TcpConnection> connections)
    {
        var temporary = FormattableString.Invariant($"{path}.{Environment.MachineName}.{Path.GetRandomFileName()}.new");
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.ASCII.GetBytes(Format(connections)));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public static string FormatEndpoint(IPEndPoint endpoint) => endpoint.AddressFamily == AddressFamily.InterNetworkV6
        ? FormattableString.Invariant($"[{endpoint.Address}]:{endpoint.Port}")
        : FormattableString.Invariant($"{endpoint.Address}:{endpoint.Port}");

    public static bool TryParseEndpoint(string text, out IPEndPoint endpoint)
    {
        endpoint = new IPEndPoint(IPAddress.Any, 0);
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        var host = text[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (host.Contains('%', StringComparison.Ordinal) || !IPAddress.TryParse(host, out var address))
        {
            return false;
        }

        endpoint = new IPEndPoint(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, port);
        return true;
    }
}
