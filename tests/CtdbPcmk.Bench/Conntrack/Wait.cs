// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench.Conntrack;

internal static class Wait
{
    public static void Until(Func<bool> condition, TimeSpan timeout, string what, int pollMs = 10)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"not within {timeout.TotalSeconds} s: {what}");
            }
            Thread.Sleep(pollMs);
        }
    }
}
