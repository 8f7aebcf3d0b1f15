// SPDX-License-Identifier: GPL-3.0-or-later
using CtdbPcmk.Linux;

namespace CtdbPcmk.Agents;

/// <summary>
/// Writers on file descriptors 1 and 2 without System.Console: an agent never talks to a
/// terminal, and Console's terminal set-up (a signal-handling thread, terminal queries) is a
/// measurable share of a monitor that runs every few seconds on every node. Nothing is
/// buffered, so log lines and the exit reason keep their order.
/// </summary>
internal static class StandardStreams
{
    public static TextWriter Out { get; } = new FileDescriptorWriter(1);

    public static TextWriter Error { get; } = new FileDescriptorWriter(2);
}
