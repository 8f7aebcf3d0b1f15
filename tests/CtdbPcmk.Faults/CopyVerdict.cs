// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults;

/// <summary>
/// One node's copy of a database judged against the writers' histories: an acknowledged value
/// that is missing (lost), an acknowledged delete whose key is back (resurrected), a value no
/// finished commit could have left there (stale), a key no commit wrote (unexpected).
/// </summary>
internal sealed class CopyVerdict
{
    private readonly List<string> _problems = [];

    public int Checked { get; private set; }

    public int Lost { get; private set; }

    public int Resurrected { get; private set; }

    public int Stale { get; private set; }

    public int Unexpected { get; private set; }

    public bool Clean => Lost + Resurrected + Stale + Unexpected == 0;

    /// <summary>The first problems found, one line each.</summary>
    public IReadOnlyList<string> Problems => _problems;

    public static CopyVerdict Judge(string where, IReadOnlyDictionary<string, string> copy, IEnumerable<WriteHistory> writers)
    {
        var v = new CopyVerdict();
        var known = new HashSet<string>();
        foreach (var w in writers)
        {
            foreach (var (key, ops) in w.OpsByKey())
            {
                known.Add(key);
                var allowed = WriteHistory.Allowed(ops, out var lastAcked);
                string? actual = copy.TryGetValue(key, out var a) ? a : null;
                if (lastAcked is not null)
                {
                    v.Checked++;
                }
                if (allowed.Contains(actual))
                {
                    continue;
                }
                string was = actual is null ? "absent" : $"'{Short(actual)}'";
                string history = string.Join(", ", ops.Select(o => $"commit {o.Commit} {(o.Value is null ? "delete" : $"set '{Short(o.Value)}'")} {(o.Acked ? "acked" : "unknown")}"));
                if (lastAcked is { Value: not null } && actual is null)
                {
                    v.Lost++;
                    v.Note($"{where}: LOST {key}: {was}; history: {history}");
                }
                else if (lastAcked is { Value: null })
                {
                    v.Resurrected++;
                    v.Note($"{where}: RESURRECTED {key}: {was}; history: {history}");
                }
                else
                {
                    v.Stale++;
                    v.Note($"{where}: STALE {key}: {was}; history: {history}");
                }
            }
        }
        foreach (var key in copy.Keys.Where(k => !known.Contains(k) && !k.StartsWith("final-", StringComparison.Ordinal)))
        {
            v.Unexpected++;
            v.Note($"{where}: UNEXPECTED {key} = '{Short(copy[key])}'");
        }
        return v;
    }

    /// <summary>A value for a message: padded values cut to their distinctive start.</summary>
    private static string Short(string value) => value.Length <= 40 ? value : $"{value[..40]}...({value.Length} bytes)";

    private void Note(string line)
    {
        if (_problems.Count < 20)
        {
            _problems.Add(line);
        }
    }
}
