// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Linux;

/// <summary>
/// Symbolic links replaced in one step: the new link is made beside the old and renamed over it
/// (rename(2) on the link itself, whatever it points to), so a reader sees the old target or
/// the new one, never none.
/// </summary>
public static class AtomicLink
{
    /// <summary>Makes <paramref name="path"/> a link to <paramref name="target"/>, replacing what is there.</summary>
    public static void Replace(string path, string target)
    {
        if (new FileInfo(path).LinkTarget == target)
        {
            return;
        }
        var temporary = path + ".new";
        File.Delete(temporary);
        File.CreateSymbolicLink(temporary, target);
        if (Interop.Libc.rename(temporary, path) != 0)
        {
            var error = LastError.AsIOException($"rename {temporary} to {path}");
            File.Delete(temporary);
            throw error;
        }
    }
}
