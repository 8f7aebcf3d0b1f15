// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text;

namespace CtdbPcmk.Conntrack;

/// <summary>Where a conntrackd configuration puts the daemon's control socket and lock file.</summary>
/// <param name="UnixSocket">General / UNIX / Path; null when the configuration has none (the daemon then cannot be controlled).</param>
/// <param name="LockFile">General / LockFile, or conntrackd's built-in default.</param>
internal sealed record ConntrackdPaths(string? UnixSocket, string LockFile);

/// <summary>
/// The conntrackd.conf the agent generates when the administrator gives none, and the reading of
/// an administrator's file for the two paths the agent needs. The syntax is that of conntrackd
/// 1.4 (Debian 12): case-sensitive keywords, one clause a line, blocks in braces, '#' comments.
/// </summary>
internal static class ConntrackdConfigWriter
{
    /// <summary>File names inside the state directory.</summary>
    public const string ConfigName = "conntrackd.conf";
    public const string SocketName = "conntrackd.ctl";
    public const string LockName = "conntrackd.lock";
    public const string LogName = "conntrackd.log";

    /// <summary>conntrackd's lock file when its configuration names none.</summary>
    public const string DefaultLockFile = "/var/lock/conntrackd.lock";

    /// <summary>The smallest cache limit written; conntrackd's own example uses this.</summary>
    public const int MinHashLimit = 131072;

    /// <summary>
    /// The configuration: FTFW replication over multicast on the sync interface, the control
    /// socket, lock file and log in the state directory, only TCP replicated, and the loopback and
    /// sync link addresses left out (their connections are this node's own, not the services').
    /// </summary>
    /// <param name="settings">The parameters; <see cref="ConntrackdSettings.Interface"/> must be set.</param>
    /// <param name="interfaceAddress">The sync interface's IPv4 address (source of the sync traffic).</param>
    /// <param name="conntrackMax">The kernel's nf_conntrack_max, or 0 when unknown: the cache holds twice that.</param>
    public static string Write(ConntrackdSettings settings, IPAddress interfaceAddress, int conntrackMax = 0)
    {
        var iface = settings.Interface ?? throw new ArgumentException("a generated conntrackd configuration needs an interface", nameof(settings));
        if (interfaceAddress.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"{interfaceAddress} is not an IPv4 address", nameof(interfaceAddress));
        }
        var hashLimit = (int)Math.Clamp(2L * conntrackMax, MinHashLimit, int.MaxValue);
        // About one bucket for every four entries, as a power of two, from 32768 to 4M.
        var hashSize = (int)Math.Clamp(BitOperations.RoundUpToPowerOf2((uint)(hashLimit / 4)), 32768u, 4194304u);
        var dir = settings.StateDir;
        var text = new StringBuilder();
        void Line(int depth, string line) => text.Append('\t', depth).Append(line).Append('\n');
        string Number(int n) => n.ToString(CultureInfo.InvariantCulture);

        Line(0, "# conntrackd configuration written by ocf:ctdb:conntrack at every start; edits are lost.");
        Line(0, "# Give your own file in conntrackd_config instead.");
        Line(0, "Sync {");
        Line(1, "Mode FTFW {");
        Line(1, "}");
        Line(1, "Multicast {");
        Line(2, $"IPv4_address {settings.Group}");
        Line(2, $"Group {Number(settings.Port)}");
        Line(2, $"IPv4_interface {interfaceAddress}");
        Line(2, $"Interface {iface}");
        Line(2, "SndSocketBuffer 1249280");
        Line(2, "RcvSocketBuffer 1249280");
        Line(2, "Checksum on");
        Line(1, "}");
        Line(0, "}");
        Line(0, "General {");
        // The agent starts it with -d; systemd has no part in it.
        Line(1, "Systemd off");
        Line(1, $"HashSize {Number(hashSize)}");
        Line(1, $"HashLimit {Number(hashLimit)}");
        Line(1, $"LogFile {Path.Combine(dir, LogName)}");
        Line(1, "Syslog off");
        Line(1, $"LockFile {Path.Combine(dir, LockName)}");
        Line(1, "UNIX {");
        Line(2, $"Path {Path.Combine(dir, SocketName)}");
        Line(1, "}");
        // Large netlink buffers so that a burst of events (many clients at once) is not lost.
        Line(1, "NetlinkBufferSize 2097152");
        Line(1, "NetlinkBufferSizeMaxGrowth 8388608");
        Line(1, "Filter From Userspace {");
        Line(2, "Protocol Accept {");
        Line(3, "TCP");
        Line(2, "}");
        Line(2, "Address Ignore {");
        Line(3, "IPv4_address 127.0.0.1");
        Line(3, "IPv6_address ::1");
        Line(3, $"IPv4_address {interfaceAddress}");
        Line(2, "}");
        Line(1, "}");
        Line(0, "}");
        return text.ToString();
    }

    /// <summary>
    /// The control socket and lock file of an administrator's configuration: General / UNIX /
    /// Path and General / LockFile. Comments are skipped and blocks may open and close on the
    /// same line as their clauses.
    /// </summary>
    public static ConntrackdPaths FindPaths(string configText)
    {
        string? socket = null, lockFile = null;
        var blocks = new List<string>();
        var clause = new List<string>();
        void EndClause()
        {
            if (clause.Count >= 2 && blocks.Count >= 1 && blocks[0] == "General")
            {
                if (blocks.Count == 1 && clause[0] == "LockFile")
                {
                    lockFile = clause[1];
                }
                else if (blocks.Count == 2 && blocks[1] == "UNIX" && clause[0] == "Path")
                {
                    socket = clause[1];
                }
            }
            clause.Clear();
        }

        foreach (var rawLine in configText.Split('\n'))
        {
            var hash = rawLine.IndexOf('#', StringComparison.Ordinal);
            var line = hash >= 0 ? rawLine[..hash] : rawLine;
            foreach (var word in line.Replace("{", " { ", StringComparison.Ordinal).Replace("}", " } ", StringComparison.Ordinal)
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (word == "{")
                {
                    blocks.Add(clause.Count > 0 ? clause[0] : "");
                    clause.Clear();
                }
                else if (word == "}")
                {
                    EndClause();
                    if (blocks.Count > 0)
                    {
                        blocks.RemoveAt(blocks.Count - 1);
                    }
                }
                else
                {
                    clause.Add(word);
                }
            }
            EndClause();
        }
        return new ConntrackdPaths(socket, lockFile ?? DefaultLockFile);
    }
}
