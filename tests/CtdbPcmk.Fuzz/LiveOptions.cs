// SPDX-License-Identifier: GPL-3.0-or-later
using System.Globalization;
using System.Net;

namespace CtdbPcmk.Fuzz;

/// <summary>
/// Options of the live fuzzer:
/// <code>
/// live --socket PATH --pid PID --corpus DIR [--node-corpus DIR --node ADDR:PORT --bind ADDR]
///      [--packets N] [--warmup N] [--connections K] [--seed S] [--label NAME] [--report FILE] [--assert]
///      [--databases DIR]
/// </code>
/// --node sends the node corpus, mutated, over TCP from --bind (the address of a node that is
/// not running); --assert makes a broken bound an exit status of 1; --databases names the
/// directory above the daemon's database directories, whose files (any database the fuzzer
/// attached, whatever its name) are counted apart from the other descriptors.
/// </summary>
public sealed record LiveOptions
{
    public string Socket { get; init; } = "";
    public int Pid { get; init; }
    public List<string> Corpus { get; } = [];
    public List<string> NodeCorpus { get; } = [];
    public IPEndPoint? Node { get; init; }
    public IPAddress? Bind { get; init; }
    public long Packets { get; init; } = 1_000_000;
    public long Warmup { get; init; } = 20_000;
    public int Connections { get; init; } = 8;
    public int Seed { get; init; } = 1;
    public string Label { get; init; } = "daemon";
    public string? Report { get; init; }
    public bool Assert { get; init; }
    public string? Databases { get; init; }

    /// <summary>Peak RssAnon above the warmed-up value allowed during the run.</summary>
    public long PeakAllowanceKb { get; init; } = 64 * 1024;

    /// <summary>RssAnon above the warmed-up value allowed once the fuzzer has gone.</summary>
    public long SettleAllowanceKb { get; init; } = 20 * 1024;

    public static LiveOptions Parse(string[] args)
    {
        var o = new LiveOptions();
        for (int i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            o = args[i] switch
            {
                "--socket" => o with { Socket = Value() },
                "--pid" => o with { Pid = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--node" => o with { Node = IPEndPoint.Parse(Value()) },
                "--bind" => o with { Bind = IPAddress.Parse(Value()) },
                "--packets" => o with { Packets = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--warmup" => o with { Warmup = long.Parse(Value(), CultureInfo.InvariantCulture) },
                "--connections" => o with { Connections = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(Value(), CultureInfo.InvariantCulture) },
                "--label" => o with { Label = Value() },
                "--report" => o with { Report = Value() },
                "--assert" => o with { Assert = true },
                "--databases" => o with { Databases = Path.GetFullPath(Value()) },
                "--corpus" => Add(o, o.Corpus, Value()),
                "--node-corpus" => Add(o, o.NodeCorpus, Value()),
                _ => throw new ArgumentException($"unknown option {args[i]}"),
            };
        }
        if (o.Socket.Length == 0 || o.Pid <= 0 || o.Corpus.Count == 0)
        {
            throw new ArgumentException("--socket, --pid and --corpus are required");
        }
        return o;
    }

    private static LiveOptions Add(LiveOptions o, List<string> list, string value)
    {
        list.Add(value);
        return o;
    }
}
