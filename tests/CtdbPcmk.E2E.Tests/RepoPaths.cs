// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.E2E.Tests;

/// <summary>Locations in the source tree.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Box => Path.Combine(Root, "tests", "pcmk-box", "box");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CtdbPcmk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("source tree root not found above " + AppContext.BaseDirectory);
    }
}
