// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench.Conntrack;

/// <summary>
/// Notes each namespace and cluster made, in the file $CTDBPCMK_BENCH_LEDGER, so that the
/// calling script can remove what a killed run left behind (a normal run removes it itself).
/// </summary>
internal static class Ledger
{
    public static void Note(string kind, string what)
    {
        if (Environment.GetEnvironmentVariable("CTDBPCMK_BENCH_LEDGER") is { Length: > 0 } path)
        {
            File.AppendAllText(path, $"{kind} {what}\n");
        }
    }
}
