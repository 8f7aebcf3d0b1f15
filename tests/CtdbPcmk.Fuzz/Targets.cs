// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Fuzz;

/// <summary>Every target by name.</summary>
public static class Targets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
        [.. ProtocolTargets.All(), .. DaemonTargets.All(), .. ConfigTargets.All()];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
