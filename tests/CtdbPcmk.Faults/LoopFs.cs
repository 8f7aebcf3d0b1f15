// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults;

/// <summary>
/// A small ext4 file system in an image file, loop-mounted (errors=remount-ro, no root reserve)
/// over a directory whose contents it takes over. Must run in a private mount namespace
/// (<see cref="MountNamespace"/>): whatever happens, the mount ends with the namespace. Also
/// unmounted explicitly by <see cref="Dispose"/>; the loop device clears itself on unmount.
/// </summary>
internal sealed class LoopFs : IDisposable
{
    private readonly string _image;
    private bool _mounted;

    private LoopFs(string image, string mountPoint)
    {
        _image = image;
        MountPoint = mountPoint;
    }

    public string MountPoint { get; }

    /// <summary>The loop device's name (e.g. loop3), for /sys/fs/ext4/NAME.</summary>
    public string DeviceName { get; private set; } = "";

    public string FillerPath => Path.Combine(MountPoint, "filler");

    public static LoopFs Create(string image, int megabytes, string mountPoint)
    {
        Sh.Check("truncate", "-s", $"{megabytes}M", image);
        Sh.Check("mkfs.ext4", "-q", "-F", "-m", "0", image);
        var fs = new LoopFs(image, mountPoint);
        fs.Mount(copyExisting: true);
        return fs;
    }

    /// <summary>Mounts the image (after a copy of what the directory held, when asked).</summary>
    public void Mount(bool copyExisting)
    {
        string saved = MountPoint + ".before-mount";
        if (copyExisting)
        {
            Sh.Check("cp", "-a", MountPoint, saved);
        }
        Sh.Check("mount", "-o", "loop,errors=remount-ro", _image, MountPoint);
        _mounted = true;
        DeviceName = Path.GetFileName(Sh.Check("findmnt", "-n", "-o", "SOURCE", MountPoint).Stdout.Trim());
        if (copyExisting)
        {
            Sh.Check("cp", "-a", saved + "/.", MountPoint);
            Sh.Check("rm", "-rf", saved);
        }
    }

    /// <summary>Fills the file system to the last block; returns the bytes written.</summary>
    public long Fill()
    {
        // dd ends with "No space left on device" (exit 1) once full: the expected end.
        Sh.Run("dd", "if=/dev/zero", $"of={FillerPath}", "bs=64k", "status=none");
        Sh.Run("sync", "-f", MountPoint);
        return new FileInfo(FillerPath).Length;
    }

    public void Unfill()
    {
        File.Delete(FillerPath);
        Sh.Run("sync", "-f", MountPoint);
    }

    /// <summary>Makes ext4 report an error, so that errors=remount-ro turns the file system read-only at once.</summary>
    public void TriggerError() =>
        File.WriteAllText($"/sys/fs/ext4/{DeviceName}/trigger_fs_error", "fault-suite\n");

    /// <summary>Mounted read-only, or turned read-only by an error (ext4 shows "emergency_ro").</summary>
    public bool ReadOnly => Sh.Run("findmnt", "-n", "-o", "OPTIONS", MountPoint).Stdout.Trim().Split(',') is var o
        && (o.Contains("ro") || o.Contains("emergency_ro"));

    public string Df => Sh.Run("df", "-k", MountPoint).Stdout.Trim().Split('\n').Last();

    /// <summary>Unmounts and repairs the file system with e2fsck; returns e2fsck's exit code and output.</summary>
    public (int Code, string Output) UnmountAndRepair()
    {
        Unmount();
        var r = Sh.Run("e2fsck", "-f", "-y", _image);
        return (r.Code, (r.Stderr + r.Stdout).Trim());
    }

    public void Unmount()
    {
        if (!_mounted)
        {
            return;
        }
        if (!Sh.Run("umount", MountPoint).Ok)
        {
            Sh.Run("umount", "-l", MountPoint);
        }
        _mounted = false;
    }

    public void Dispose() => Unmount();
}
