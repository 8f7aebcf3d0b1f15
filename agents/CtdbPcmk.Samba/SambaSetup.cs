// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Ocf;
using P = CtdbPcmk.Samba.SambaParameters;

namespace CtdbPcmk.Samba;

/// <summary>
/// A resource's parameters together with what its smb.conf says, checked as validate-all and
/// start need: clustering on, the same ctdbd socket as the resource's, the daemons installed.
/// </summary>
internal sealed record SambaSetup(SambaConfig Config, SmbSettings Settings, IReadOnlyList<SambaService> Services)
{
    /// <summary>Reads smb.conf and checks everything that can be checked without starting anything.</summary>
    public static SambaSetup Load(SambaConfig config)
    {
        if (!File.Exists(config.ConfigFile))
        {
            // Missing on this node only (others may have it): not a cluster-wide configuration error.
            throw OcfException.Installed($"{P.Config} '{config.ConfigFile}' does not exist");
        }
        SmbSettings settings;
        try
        {
            settings = SmbSettings.From(SmbConfReader.Load(config.ConfigFile));
        }
        catch (SmbConfException e)
        {
            throw OcfException.Configured(e.Message);
        }
        if (!settings.Clustering)
        {
            var where = settings.ClusteringSetting is { } s ? $"{s.Where}: 'clustering = {s.Value}'" : $"{config.ConfigFile}: 'clustering' is not set";
            throw OcfException.Configured($"{where}; a clustered Samba needs 'clustering = yes' in [global]");
        }
        if (settings.CtdbdSocket != config.CtdbSocket)
        {
            var where = settings.CtdbdSocketSetting is { } s ? $"{s.Where}: 'ctdbd socket = {s.Value}'" : $"{config.ConfigFile}: 'ctdbd socket' is not set (Samba's default is {SmbSettings.DefaultCtdbdSocket})";
            throw OcfException.Configured($"{where}, but {P.CtdbSocket} is '{config.CtdbSocket}'; set both to the socket of ctdb-pcmkd");
        }
        var services = config.Services ?? SambaServices.Default(settings.Security);
        if (services.Contains(SambaService.Nmbd) && settings.NetbiosDisabled is { } off)
        {
            throw OcfException.Configured($"{P.Services} includes nmbd, but {off.Where}: 'disable netbios = {off.Value}' makes nmbd exit at once");
        }
        foreach (var service in services)
        {
            var binary = config.Binary(service);
            if (!IsExecutableFile(binary))
            {
                throw OcfException.Installed($"{SambaServices.Name(service)} is not installed: {binary} is not an executable file (see {P.SbinDir})");
            }
        }
        return new SambaSetup(config, settings, services);
    }

    public string WinbindSocket => Path.Combine(Settings.WinbinddSocketDirectory, WinbindProtocol.SocketName);

    private static bool IsExecutableFile(string path)
    {
        try
        {
            return File.Exists(path)
                && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
