// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.TestSupport;

/// <summary>
/// A temporary directory for smbd and its clients: the directory the share exports (sticky and
/// world-writable like /tmp: the guest user writes there) and the client-side files for
/// smbclient's put and get. Deleted on dispose.
/// </summary>
public sealed class SmbWorkDir : IDisposable
{
    private SmbWorkDir(string workDir)
    {
        WorkDir = workDir;
        ShareDir = Path.Combine(workDir, "share");
        LocalDir = Path.Combine(workDir, "local");
    }

    public string WorkDir { get; }

    /// <summary>The directory the share exports.</summary>
    public string ShareDir { get; }

    /// <summary>Client-side files for smbclient's put and get.</summary>
    public string LocalDir { get; }

    public static SmbWorkDir Create()
    {
        // Created with the usual mode (not a private temporary directory): the guest user must
        // reach the share below it.
        var d = new SmbWorkDir(Path.Combine(Path.GetTempPath(), $"cpksmb-{Guid.NewGuid().ToString("N")[..10]}"));
        Directory.CreateDirectory(d.ShareDir);
        Directory.CreateDirectory(d.LocalDir);
        File.SetUnixFileMode(d.ShareDir, (UnixFileMode)0b1_111_111_111);
        return d;
    }

    public void Dispose()
    {
        if (Directory.Exists(WorkDir))
        {
            Directory.Delete(WorkDir, recursive: true);
        }
    }
}
