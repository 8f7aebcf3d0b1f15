// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Fuzz;

/// <summary>
/// One fuzz target: bytes in, and either nothing or a documented rejection
/// (<see cref="Rejection.IsDocumented"/>). Anything else escaping <see cref="Run"/> is a crash.
/// </summary>
public interface IFuzzTarget
{
    string Name { get; }

    void Run(ReadOnlySpan<byte> input);
}
