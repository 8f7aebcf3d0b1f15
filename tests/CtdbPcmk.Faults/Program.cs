// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;

namespace CtdbPcmk.Faults;

/// <summary>
/// ctdbpcmk-faults kills|disk --impl ours|ctdb [--kills N] [--minutes M] [--seed S] [--short] [--report FILE] [--evidence DIR]
/// Runs one fault run on a new tests/local-daemons cluster, prints its counts and verdict, appends
/// them to FILE when given, and exits 0 only when nothing acknowledged was lost or came back.
/// </summary>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length < 1 || args[0] is not ("kills" or "disk"))
        {
            return Usage("first argument must be kills or disk");
        }
        DaemonKind daemon = DaemonKind.Ours;
        int kills = 100;
        int seed = Environment.TickCount & 0x7fffffff;
        string? report = null;
        string evidence = "/tmp/faultlocal-evidence";
        int minutes = 0;
        bool brief = false;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--short")
            {
                brief = true;
                continue;
            }
            string? value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--impl" when value is "ours" or "ctdb":
                    daemon = value == "ours" ? DaemonKind.Ours : DaemonKind.Ctdb;
                    break;
                case "--kills" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out kills) && kills > 0:
                    break;
                case "--minutes" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out minutes):
                    break;
                case "--seed" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out seed):
                    break;
                case "--report" when value is not null:
                    report = value;
                    break;
                case "--evidence" when value is not null:
                    evidence = value;
                    break;
                default:
                    return Usage($"bad argument '{args[i]}'{(value is null ? "" : $" '{value}'")}");
            }
            i++;
        }
        var journal = new Journal();
        IEnumerable<string> lines;
        string? row = null;
        bool passed;
        if (args[0] == "kills")
        {
            var r = KillRun.Execute(new KillOptions(daemon, kills, seed, evidence, TimeSpan.FromSeconds(90), minutes > 0 ? TimeSpan.FromMinutes(minutes) : null), journal);
            lines = r.Lines();
            row = r.TableRow();
            passed = r.Passed;
        }
        else if (!MountNamespace.Inside)
        {
            return MountNamespace.Rerun(args);
        }
        else
        {
            var r = DiskRun.Execute(new DiskOptions(daemon, evidence, brief), journal);
            lines = r.Lines();
            passed = r.Passed;
        }
        var text = lines.ToList();
        Console.WriteLine("== result");
        foreach (var l in text)
        {
            Console.WriteLine(l);
        }
        if (report is not null)
        {
            File.AppendAllLines(report, [$"### {args[0]}, {daemon.ToString().ToLowerInvariant()}", "", "```", .. text, "```", ""]);
            if (row is not null)
            {
                // One row per run for the side-by-side table at the top of the results file.
                File.AppendAllLines(report + ".table", [row]);
            }
        }
        return passed ? 0 : 1;
    }

    private static int Usage(string why)
    {
        Console.Error.WriteLine($"ctdbpcmk-faults: {why}");
        Console.Error.WriteLine("usage: ctdbpcmk-faults kills|disk --impl ours|ctdb [--kills N] [--minutes M] [--seed S] [--short] [--report FILE] [--evidence DIR]");
        return 2;
    }
}
