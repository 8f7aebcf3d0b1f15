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

    /// <summary>Polls until <paramref name="attempt"/> gives a value; fails the test after the timeout.</summary>
    public static T UntilValue<T>(Func<T?> attempt, TimeSpan timeout, Func<string> describe, int pollMs = 200)
        where T : class
    {
        T? value = null;
        Until(() => (value = attempt()) is not null, timeout, describe, pollMs);
        return value!;
    }
}
