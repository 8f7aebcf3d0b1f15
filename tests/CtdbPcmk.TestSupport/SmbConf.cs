// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport;

/// <summary>
/// The smb.conf of a clustered test smbd: every state path under one work directory, SMB on
/// port 445 only, no printing, and one guest-writable share.
/// </summary>
public static class SmbConf
{
    /// <summary>Writes workDir/smb.conf (and the state directories it names); returns its path.</summary>
    /// <param name="extraGlobal">Further [global] lines, one "name = value" each.</param>
    public static string Write(string ctdbSocket, string workDir, string shareDir, string netbiosName,
        params string[] extraGlobal)
    {
        string[] dirs = ["private", "lock", "state", "cache", "pid", "ncalrpc", "binddns", "log"];
        foreach (var d in dirs)
        {
            Directory.CreateDirectory(Path.Combine(workDir, d));
        }

        var extra = string.Concat(extraGlobal.Select(l => "	" + l + "\n"));
        var conf = Path.Combine(workDir, "smb.conf");
        File.WriteAllText(conf, $"""
            [global]
            	clustering = yes
            	ctdbd socket = {ctdbSocket}
            	netbios name = {netbiosName}
            	workgroup = {netbiosName}WG
            	server role = standalone server
            	security = user
            	map to guest = Bad User
            	guest account = nobody
            	private dir = {workDir}/private
            	lock directory = {workDir}/lock
            	state directory = {workDir}/state
            	cache directory = {workDir}/cache
            	pid directory = {workDir}/pid
            	ncalrpc dir = {workDir}/ncalrpc
            	binddns dir = {workDir}/binddns
            	log file = {workDir}/log/log.%m
            	interfaces = lo
            	bind interfaces only = no
            	smb ports = 445
            	disable netbios = yes
            	load printers = no
            	printing = bsd
            	printcap name = /dev/null
            	disable spoolss = yes
            {extra}
            [share]
            	path = {shareDir}
            	read only = no
            	guest ok = yes
            	guest only = yes
            	force user = root

            """);
        return conf;
    }
}
