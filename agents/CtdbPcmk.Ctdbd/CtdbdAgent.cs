// SPDX-License-Identifier: GPL-3.0-or-later
using System.Net;
using System.Net.Sockets;
using CtdbPcmk.CommandRunner;
using CtdbPcmk.Ocf;

namespace CtdbPcmk.Ctdbd;

/// <summary>
/// ocf:ctdb:ctdbd: the ctdb-pcmkd daemon, run as a promotable clone. The promoted instance is
/// the cluster leader: promote and demote give and take the daemon's leader role.
/// </summary>
public sealed partial class CtdbdAgent : OcfAgent
{
    private readonly ICommandRunner _runner;

    /// <summary>Creates the agent with real processes for crm_attribute.</summary>
    public CtdbdAgent()
        : this(ProcessCommandRunner.Instance)
    {
    }

    internal CtdbdAgent(ICommandRunner runner)
    {
        _runner = runner;
    }

    /// <inheritdoc/>
    public override string Name => "ctdbd";

    /// <inheritdoc/>
    public override IReadOnlyList<OcfParameter> Parameters => CtdbdParameters.All;

    /// <inheritdoc/>
    public override string Metadata => OcfMetadataXml.Text;

    /// <inheritdoc/>
    public override IReadOnlyCollection<string> OptionalActions => ["promote", "demote", "notify", "reload-agent"];

    /// <inheritdoc/>
    public override OcfExitCode ValidateAll(OcfContext context)
    {
        var config = CtdbdConfig.Parse(context.Parameters);
        CheckHost(config);
        return OcfExitCode.Success;
    }

    /// <summary>
    /// Checks what must exist on this node: the daemon binary, a given configuration file, the
    /// nodes file, and that this node is one of the nodes in it.
    /// </summary>
    internal static string CheckHost(CtdbdConfig config)
    {
        var binary = config.DaemonBinary(Environment.ProcessPath);
        if (binary is null)
        {
            throw OcfException.Installed(config.Binary.Length > 0
                ? $"{CtdbdParameters.Binary} '{config.Binary}' is not an executable file"
                : "ctdb-pcmkd is not installed (looked beside the agent binary, in /usr/sbin and /usr/lib/ctdb); set ctdbd_binary");
        }
        if (config.UserConfigFile is { } file && !File.Exists(file))
        {
            throw OcfException.Installed($"{CtdbdParameters.ConfigFile} '{file}' does not exist");
        }
        if (config.UserConfigFile is null || config.NodesFileGiven)
        {
            CheckNodes(config);
        }
        var socketDir = Path.GetDirectoryName(config.Socket);
        if (socketDir is not null && File.Exists(socketDir))
        {
            throw OcfException.Configured($"the directory of {CtdbdParameters.Socket} '{socketDir}' is a file");
        }
        return binary;
    }

    private static void CheckNodes(CtdbdConfig config)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(config.NodesFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw OcfException.Installed($"cannot read nodes file {config.NodesFile}: {Describe(e)}");
        }
        var addresses = new List<IPAddress>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            if (!IPAddress.TryParse(line, out var address))
            {
                throw OcfException.Configured($"nodes file {config.NodesFile}: '{line}' is not an IP address");
            }
            addresses.Add(address);
        }
        if (addresses.Count == 0)
        {
            throw OcfException.Configured($"nodes file {config.NodesFile} lists no nodes");
        }
        if (config.NodeAddress is { } own)
        {
            if (!addresses.Contains(own))
            {
                throw OcfException.Configured($"{CtdbdParameters.NodeAddress} {own} is not in the nodes file {config.NodesFile}");
            }
        }
        else if (!addresses.Exists(CanBind))
        {
            throw OcfException.Installed($"none of the addresses in {config.NodesFile} is an address of this node");
        }
    }

    /// <summary>
    /// A file error in words. The AOT binary carries no framework message texts (resource keys
    /// only), so the common cases are named here.
    /// </summary>
    internal static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file or directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };

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

    private PromotionScore Score(OcfContext context, CtdbdConfig config) => new(context, _runner, config.ScoreFile);
}
