// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using CtdbPcmk.Linux;
using CtdbPcmk.Daemon.Config;

namespace CtdbPcmk.Daemon;

/// <summary>
/// The pid file, held open with a write lock for the daemon's lifetime so that a second daemon
/// with the same pid file refuses to start; removed on dispose.
/// </summary>
internal sealed class PidFile : IDisposable
{
    private readonly string _path;
    private readonly FileStream _stream;

    private PidFile(string path, FileStream stream)
    {
        _path = path;
        _stream = stream;
    }

    /// <summary>Creates and locks the file, or throws <see cref="ConfigError"/> naming the reason.</summary>
    public static PidFile Create(string path)
    {
        FileStream stream;
        try
        {
            var dir = Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir))
                Directory.CreateDirectory(dir);
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (IOException e)
        {
            throw new ConfigError(path, 0, $"cannot take pid file (is another daemon running?): {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            throw new ConfigError(path, 0, $"cannot create pid file: {e.Message}");
        }
        if (!FileLock.TryLockWhole(stream.SafeFileHandle))
        {
            var holder = File.ReadAllText(path).Trim();
            stream.Dispose();
            throw new ConfigError(path, 0, $"pid file is locked by process {holder}: is another daemon running?");
        }
        stream.SetLength(0);
        var text = Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n";
        stream.Write(System.Text.Encoding.ASCII.GetBytes(text));
        stream.Flush(flushToDisk: true);
        return new PidFile(path, stream);
    }

    public void Dispose()
    {
        // Delete before releasing the lock so a starting daemon never sees our stale pid.
        File.Delete(_path);
        _stream.Dispose();
    }
}
