// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;

namespace CtdbPcmk.Nfs.Conf;

/// <summary>
/// What the agent reads from ganesha.conf, with NFS-Ganesha 4's defaults for what is not set,
/// and the checks a clustered server needs: NFSv4 on, at least one export reachable by NFSv4
/// (a Pseudo path), and a recovery backend whose client records every node can read (a takeover
/// node reads those of the node it takes addresses from). Errors name the file and line.
/// </summary>
public sealed record GaneshaSettings
{
    /// <summary>NFS-Ganesha's RecoveryRoot when none is set: a node-local directory.</summary>
    public const string LocalRecoveryRoot = "/var/lib/nfs/ganesha";

    /// <summary>Backends keeping client records in a directory (RecoveryRoot).</summary>
    private static readonly string[] s_directoryBackends = ["fs", "fs_ng"];

    /// <summary>Backends keeping client records in a Ceph cluster, shared by design.</summary>
    private static readonly string[] s_radosBackends = ["rados_kv", "rados_ng", "rados_cluster"];

    public required string File { get; init; }

    public required int NfsPort { get; init; }

    /// <summary>Bind_addr: where ganesha listens (Any for every address).</summary>
    public required IPAddress BindAddress { get; init; }

    public required string RecoveryBackend { get; init; }

    /// <summary>RecoveryRoot for the directory backends; null for the RADOS ones.</summary>
    public string? RecoveryRoot { get; init; }

    public required int GracePeriod { get; init; }

    public required int LeaseLifetime { get; init; }

    public required IReadOnlyList<GaneshaExport> Exports { get; init; }

    /// <summary>Where the client records live on a directory backend, null otherwise.</summary>
    public bool HasRecoveryDirectory => RecoveryRoot is not null;

    /// <summary>Reads and checks the file.</summary>
    public static GaneshaSettings Load(string path) => From(GaneshaConfReader.Read(path));

    /// <summary>Checks what was read.</summary>
    public static GaneshaSettings From(GaneshaBlock root)
    {
        var file = root.File;
        var core = root.Find("NFS_CORE_PARAM");
        var protocols = core?.Get("Protocols");
        if (protocols is not null && !HasNfs4(protocols.Value))
        {
            throw new GaneshaConfException(protocols.File, protocols.Line, $"NFS_CORE_PARAM Protocols = {protocols.Value} does not enable NFSv4");
        }
        var port = Integer(core?.Get("NFS_Port"), 2049, 1, 65535);
        var bindValue = core?.Get("Bind_addr");
        var bind = IPAddress.Any;
        if (bindValue is not null && !IPAddress.TryParse(bindValue.Value, out bind!))
        {
            throw new GaneshaConfException(bindValue.File, bindValue.Line, $"Bind_addr '{bindValue.Value}' is not an IP address");
        }

        var v4 = root.Find("NFSv4");
        var backendValue = v4?.Get("RecoveryBackend");
        var backend = (backendValue?.Value ?? "fs").ToLowerInvariant();
        string? recoveryRoot = null;
        if (s_directoryBackends.Contains(backend))
        {
            var rootValue = v4?.Get("RecoveryRoot");
            if (rootValue is null)
            {
                throw new GaneshaConfException(v4?.File ?? file, v4?.Line ?? 0,
                    $"NFSv4 RecoveryRoot is not set: the default {LocalRecoveryRoot} is local to each node, and a node taking over an address must read the client records of the node it takes it from; set it to a directory on storage all nodes share");
            }
            recoveryRoot = rootValue.Value.TrimEnd('/');
            if (!recoveryRoot.StartsWith('/'))
            {
                throw new GaneshaConfException(rootValue.File, rootValue.Line, $"RecoveryRoot '{rootValue.Value}' is not an absolute path");
            }
            if (recoveryRoot.Length == 0 || string.Equals(recoveryRoot, LocalRecoveryRoot, StringComparison.Ordinal))
            {
                throw new GaneshaConfException(rootValue.File, rootValue.Line, $"RecoveryRoot {rootValue.Value} is NFS-Ganesha's node-local default; use a directory on storage all nodes share");
            }
        }
        else if (!s_radosBackends.Contains(backend))
        {
            throw new GaneshaConfException(backendValue!.File, backendValue.Line, $"RecoveryBackend '{backendValue.Value}' is not one of {string.Join(", ", s_directoryBackends.Concat(s_radosBackends))}");
        }
        var grace = Integer(v4?.Get("Grace_Period"), 90, 0, 180);
        var lease = Integer(v4?.Get("Lease_Lifetime"), 60, 1, 180);

        var exports = new List<GaneshaExport>();
        foreach (var block in root.All("EXPORT"))
        {
            exports.Add(Export(block));
        }
        if (exports.Count == 0)
        {
            throw new GaneshaConfException(file, 0, "no EXPORT block: there is nothing to serve");
        }
        var duplicate = exports.GroupBy(e => e.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            var second = duplicate.ElementAt(1);
            throw new GaneshaConfException(second.File, second.Line, $"Export_Id {duplicate.Key} is used twice");
        }
        if (!exports.Exists(e => e.Pseudo is not null))
        {
            throw new GaneshaConfException(exports[0].File, exports[0].Line, "no EXPORT has a Pseudo path, so none can be reached over NFSv4");
        }
        return new GaneshaSettings
        {
            File = file,
            NfsPort = port,
            BindAddress = bind,
            RecoveryBackend = backend,
            RecoveryRoot = recoveryRoot,
            GracePeriod = grace,
            LeaseLifetime = lease,
            Exports = exports,
        };
    }

    private static GaneshaExport Export(GaneshaBlock block)
    {
        GaneshaValue Required(string key) => block.Get(key)
            ?? throw new GaneshaConfException(block.File, block.Line, $"EXPORT has no {key}");
        var id = Integer(Required("Export_Id"), 0, 0, 65535);
        var path = Required("Path");
        var fsal = block.Find("FSAL")?.Get("Name")
            ?? throw new GaneshaConfException(block.File, block.Line, "EXPORT has no FSAL block with a Name");
        var pseudo = block.Get("Pseudo");
        if (pseudo is not null && !pseudo.Value.StartsWith('/'))
        {
            throw new GaneshaConfException(pseudo.File, pseudo.Line, $"Pseudo '{pseudo.Value}' must start with '/'");
        }
        var protocols = block.Get("Protocols");
        var v4 = protocols is null || HasNfs4(protocols.Value);
        return new GaneshaExport(id, path.Value, v4 ? pseudo?.Value : null, fsal.Value, block.File, block.Line);
    }

    /// <summary>Whether a Protocols list names NFSv4 ("4", "NFS4", "NFSv4", "V4").</summary>
    public static bool HasNfs4(string list) => list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Any(p => p.ToUpperInvariant() is "4" or "NFS4" or "NFSV4" or "V4");

    private static int Integer(GaneshaValue? value, int fallback, int min, int max)
    {
        if (value is null)
        {
            return fallback;
        }
        if (!int.TryParse(value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
        {
            throw new GaneshaConfException(value.File, value.Line, $"'{value.Value}' is not a number from {min} to {max}");
        }
        return n;
    }
}
