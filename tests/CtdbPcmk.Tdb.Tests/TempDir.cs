// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Tdb.Tests;

/// <summary>A private directory per test, removed with everything in it on Dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("ctdbpcmk-tdb-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
