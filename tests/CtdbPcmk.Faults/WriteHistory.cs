// SPDX-License-Identifier: GPL-3.0-or-later
namespace CtdbPcmk.Faults;

/// <summary>
/// What one writer committed to one database, and how each commit ended. Commit i of a writer
/// with prefix P sets P-i = "v-i"; when i is a multiple of 3 (from 3) it also deletes P-(i-3), and
/// when i % 3 == 1 (from 4) it overwrites P-(i-3) with "v-(i-3)-u-i". So keys ≡ 0 (mod 3) are
/// written then deleted, keys ≡ 1 written then overwritten, keys ≡ 2 written once.
/// A commit is acknowledged (the tool exited 0) or unknown (it failed, timed out or its node
/// died: it may or may not have been applied).
/// </summary>
internal sealed class WriteHistory
{
    private readonly List<bool> _acked = [];
    private readonly Lock _lock = new();

    private readonly string _pad;
    private readonly int _spread;

    /// <summary>
    /// A history whose values carry <paramref name="padBytes"/> more bytes each and whose commits
    /// also set <paramref name="spread"/> more keys P-i-sN written once (to make files grow; the
    /// ctdb tool reads ptrans input in lines of at most 1023 bytes, so a value must stay below that).
    /// </summary>
    public WriteHistory(string prefix, int padBytes = 0, int spread = 0)
    {
        if (padBytes > 900)
        {
            throw new ArgumentOutOfRangeException(nameof(padBytes), "ctdb ptrans reads lines of at most 1023 bytes");
        }
        Prefix = prefix;
        _pad = new string('x', padBytes);
        _spread = spread;
    }

    public string Prefix { get; }

    /// <summary>The key and value (null: delete) operations of commit <paramref name="i"/>.</summary>
    public IReadOnlyList<(string Key, string? Value)> Ops(int i)
    {
        var ops = new List<(string, string?)> { (Key(i), $"v-{i}{_pad}") };
        if (i >= 3 && i % 3 == 0)
        {
            ops.Add((Key(i - 3), null));
        }
        else if (i >= 4 && i % 3 == 1)
        {
            ops.Add((Key(i - 3), $"v-{i - 3}-u-{i}{_pad}"));
        }
        for (int n = 1; n <= _spread; n++)
        {
            ops.Add(($"{Key(i)}-s{n}", $"v-{i}-s{n}{_pad}"));
        }
        return ops;
    }

    public string Key(int i) => $"{Prefix}-{i}";

    /// <summary>The ctdb ptrans input of commit <paramref name="i"/> (an empty value deletes).</summary>
    public string PtransInput(int i) =>
        string.Concat(Ops(i).Select(op => $"\"{op.Key}\" \"{op.Value ?? ""}\"\n"));

    /// <summary>Records the end of the next commit (commits end in order).</summary>
    public void Record(bool acked)
    {
        lock (_lock)
        {
            _acked.Add(acked);
        }
    }

    /// <summary>How each finished commit ended, in order: true = acknowledged.</summary>
    public IReadOnlyList<bool> Outcomes
    {
        get
        {
            lock (_lock)
            {
                return [.. _acked];
            }
        }
    }

    /// <summary>
    /// The values a key may hold now, from the finished commits: the value of the last
    /// acknowledged operation on it, or any unknown operation after that one (null = absent).
    /// Without an acknowledged operation the key may be absent or hold any unknown value.
    /// <paramref name="lastAcked"/> is that last acknowledged value's operation (null when there is none).
    /// </summary>
    public static HashSet<string?> Allowed(IReadOnlyList<(int Commit, string? Value, bool Acked)> ops, out (int Commit, string? Value)? lastAcked)
    {
        int last = -1;
        for (int j = 0; j < ops.Count; j++)
        {
            if (ops[j].Acked)
            {
                last = j;
            }
        }
        var allowed = new HashSet<string?>();
        if (last < 0)
        {
            allowed.Add(null);
            lastAcked = null;
        }
        else
        {
            lastAcked = (ops[last].Commit, ops[last].Value);
        }
        for (int j = Math.Max(last, 0); j < ops.Count; j++)
        {
            allowed.Add(ops[j].Value);
        }
        return allowed;
    }

    /// <summary>Every key the finished commits touched, with its operations in commit order.</summary>
    public Dictionary<string, List<(int Commit, string? Value, bool Acked)>> OpsByKey()
    {
        var outcomes = Outcomes;
        var byKey = new Dictionary<string, List<(int, string?, bool)>>();
        for (int i = 0; i < outcomes.Count; i++)
        {
            foreach (var (key, value) in Ops(i))
            {
                if (!byKey.TryGetValue(key, out var list))
                {
                    byKey[key] = list = [];
                }
                list.Add((i, value, outcomes[i]));
            }
        }
        return byKey;
    }
}
