// SPDX-License-Identifier: GPL-3.0-or-later
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace CtdbPcmk.Agents;

/// <summary>
/// Writers on file descriptors 1 and 2 without System.Console: an agent never talks to a
/// terminal, and Console's terminal set-up (a signal-handling thread, terminal queries) is a
/// measurable share of a monitor that runs every few seconds on every node. Every write is
/// flushed at once, so log lines and the exit reason keep their order.
/// </summary>
internal static class StandardStreams
{
    public static TextWriter Out { get; } = Open(1);

    public static TextWriter Error { get; } = Open(2);

    private static StreamWriter Open(int fd) =>
        new(new FileStream(new SafeFileHandle(fd, ownsHandle: false), FileAccess.Write, bufferSize: 0), new UTF8Encoding(false))
        {
            AutoFlush = true,
        };
}
