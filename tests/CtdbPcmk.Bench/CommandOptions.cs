// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Bench;

/// <summary>
/// The "--name value" arguments of a benchmark command: each option's value by name, and the
/// repeatable "--info KEY=VALUE" pairs that go into the report's header.
/// </summary>
internal sealed class CommandOptions
{
    private readonly Dictionary<string, string> _values = new();

    public Dictionary<string, string> Info { get; } = new();

    /// <summary>Reads <paramref name="args"/>; every option must be one of <paramref name="known"/> (names without "--") or --info.</summary>
    public static CommandOptions Parse(string[] args, params string[] known)
    {
        var o = new CommandOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string name = args[i];
            if (i + 1 >= args.Length)
            {
                throw new ArgumentException($"{name} needs a value");
            }
            string value = args[++i];
            if (name == "--info")
            {
                int eq = value.IndexOf('=', StringComparison.Ordinal);
                o.Info[eq > 0 ? value[..eq] : throw new ArgumentException($"expected KEY=VALUE, got '{value}'")] = value[(eq + 1)..];
            }
            else if (name.StartsWith("--", StringComparison.Ordinal) && known.Contains(name[2..]))
            {
                o._values[name[2..]] = value;
            }
            else
            {
                throw new ArgumentException($"unknown argument {name}");
            }
        }
        return o;
    }

    /// <summary>Notes when and where the run happened (date, CPUs, load average) among the <see cref="Info"/>.</summary>
    public void StampRun()
    {
        Info["date"] = DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture);
        Info["nproc"] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Info["loadavg"] = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }

    /// <summary>A report's head: its title, the command that made it and the run's facts.</summary>
    public static void AppendHeader(System.Text.StringBuilder s, string title, IReadOnlyDictionary<string, string> info)
    {
        s.AppendLine("# " + title);
        s.AppendLine();
        s.AppendLine("Command: `" + info.GetValueOrDefault("command", "make bench") + "`");
        s.AppendLine();
        s.AppendLine(string.Join(", ", info.Where(kv => kv.Key != "command").Select(kv => $"{kv.Key}: {kv.Value}")));
        s.AppendLine();
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public int GetInt(string name, int fallback) =>
        _values.TryGetValue(name, out var v) ? int.Parse(v, System.Globalization.CultureInfo.InvariantCulture) : fallback;
}
