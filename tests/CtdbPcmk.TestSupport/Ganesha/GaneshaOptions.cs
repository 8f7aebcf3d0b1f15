// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport.Ganesha;

/// <summary>
/// What one ganesha.nfsd instance serves: NFSv4 over TCP on <see cref="Address"/>:<see cref="Port"/>,
/// one VFS export of <see cref="ExportPath"/> as the pseudo path <see cref="Pseudo"/>, client
/// records in the fs recovery backend under <see cref="RecoveryRoot"/>.
/// </summary>
public sealed record GaneshaOptions(string WorkDir, int Port, string RecoveryRoot, string ExportPath)
{
    public string Address { get; init; } = "127.0.0.1";

    public string Pseudo { get; init; } = "/share";

    /// <summary>Seconds of grace after start (NFSv4 Grace_Period).</summary>
    public int GracePeriod { get; init; } = 10;

    /// <summary>NFSv4 Lease_Lifetime in seconds.</summary>
    public int LeaseLifetime { get; init; } = 5;

    /// <summary>-I: the cluster node id, which names the recovery directory node&lt;N&gt;; none gives 0.</summary>
    public int? NodeId { get; init; }

    public string ConfigText() => $$"""
        NFS_CORE_PARAM {
            Protocols = 4;
            NFS_Port = {{Port}};
            Enable_NLM = false;
            Enable_RQUOTA = false;
            Bind_addr = {{Address}};
        }
        NFSv4 {
            RecoveryBackend = fs;
            RecoveryRoot = {{RecoveryRoot}};
            Grace_Period = {{GracePeriod}};
            Lease_Lifetime = {{LeaseLifetime}};
        }
        EXPORT {
            Export_Id = 1;
            Path = {{ExportPath}};
            Pseudo = {{Pseudo}};
            Access_Type = RW;
            Squash = No_Root_Squash;
            Protocols = 4;
            Transports = TCP;
            FSAL { Name = VFS; }
        }

        """;
}
