// SPDX-License-Identifier: GPL-3.0-or-later
using System.Diagnostics;

namespace CtdbPcmk.E2E.Tests;

internal static class Wait
{
    /// <summary>Polls until the condition holds; fails the test with the last state after the timeout.</summary>
    public static TimeSpan Until(Func<bool> condition, TimeSpan timeout, Func<string> describe, int pollMs = 50)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > timeout)
            {
                Assert.Fail($"not reached after {timeout.TotalSeconds:F0} s: {describe()}");
            }

            Thread.Sleep(pollMs);
        }

        return watch.Elapsed;
    }
}
