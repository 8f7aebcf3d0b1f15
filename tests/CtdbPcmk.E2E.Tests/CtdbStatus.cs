// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.E2E.Tests;

/// <summary>The parts of the Debian `ctdb status` output the tests check.</summary>
internal sealed record CtdbStatus(IReadOnlyDictionary<int, string> NodeFlags, uint Generation, string RecoveryMode, string Leader)
{
    public static CtdbStatus Parse(string text)
    {
        var flags = new Dictionary<int, string>();
        uint generation = 0;
        string mode = "", leader = "";
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.StartsWith("pnn:", StringComparison.Ordinal))
            {
                // "pnn:0 192.168.78.11    OK (THIS NODE)"
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                flags[int.Parse(fields[0][4..], CultureInfo.InvariantCulture)] = fields[2];
            }
            else if (line.StartsWith("Generation:", StringComparison.Ordinal))
            {
                var value = line["Generation:".Length..];
                generation = value == "INVALID" ? 1 : uint.Parse(value, CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Recovery mode:", StringComparison.Ordinal))
            {
                mode = line["Recovery mode:".Length..].Split(' ')[0];
            }
            else if (line.StartsWith("Leader:", StringComparison.Ordinal))
            {
                leader = line["Leader:".Length..];
            }
        }

        return new CtdbStatus(flags, generation, mode, leader);
    }
}
