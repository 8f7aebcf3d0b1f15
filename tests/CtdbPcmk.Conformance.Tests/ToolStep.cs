// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Conformance.Tests;

/// <summary>
/// One invocation of the ctdb tool in a scenario. <see cref="ReferenceExit"/> and
/// <see cref="ReferenceShows"/> check the scenario itself against the real daemon (a step
/// meant to succeed that fails there is a broken scenario, not a conformance result).
/// </summary>
internal sealed record ToolStep(IReadOnlyList<string> Args, string? Stdin = null)
{
    /// <summary>Exit status the real daemon's run must have: 0, non-zero (-1) or any (null).</summary>
    public int? ReferenceExit { get; init; }

    /// <summary>Text the real daemon's stdout must contain.</summary>
    public string? ReferenceShows { get; init; }

    public static ToolStep Ok(params string[] args) => new(args) { ReferenceExit = 0 };

    public static ToolStep Fails(params string[] args) => new(args) { ReferenceExit = -1 };

    public ToolStep Showing(string text) => this with { ReferenceShows = text };

    public override string ToString() =>
        "ctdb " + string.Join(' ', Args) + (Stdin is null ? "" : " < stdin");
}
