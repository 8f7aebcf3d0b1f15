#!/usr/bin/env bash
# Before and after a change to the daemon: the bench ratios (ours / ctdbd) of the daemon built at
# BASE_REV ("before", built in a scratch worktree) and of this tree's build ("after"), side by
# side on this machine. tests/bench/run (single and three parts) runs ROUNDS times for each build,
# alternating: before, after, before, after...; each run writes to its own scratch directory. The
# bench client, the harness and ctdbd are this tree's and the same for both builds.
# Writes tests/bench/results/before-after.md (before-after-PART.md for one part): per ratio
# metric the median over the rounds before and after and the relative change. A latency, a recovery time or an RSS is better lower, a rate
# (ops/s, migrations/s, messages/s) higher. Exit 1 when a ratio moved more than 5 % for the worse,
# had no figure on one side, or a run failed; 2 on a wrong argument or a missing or failed build.
# Usage: tests/bench/compare-builds.sh BASE_REV [BUILD-CONFIGURATION] [ROUNDS]   (default: Release
# 2; this tree's build must exist: make build). THREE_NODE_RUNS is passed on to tests/bench/run;
# BENCH_PART=single or three runs only that part (default all).
set -uo pipefail
[ $# -ge 1 ] || { sed -n '/^# Usage:/,/^set /{/^set /d;s/^# \{0,1\}//p}' "$0" >&2; exit 2; }
base=$1
config=${2:-Release}
rounds=${3:-2}
bench_part=${BENCH_PART:-all}
limit=5
case $bench_part in all | single | three) ;; *) echo "compare-builds: BENCH_PART must be all, single or three" >&2; exit 2 ;; esac
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "compare-builds: ROUNDS must be a positive number" >&2; exit 2; }
top=$(cd "$(dirname "$0")/../.." && pwd)
command -v jq >/dev/null || { echo "compare-builds: jq not found (packaging/install-deps.sh)" >&2; exit 2; }
out=$top/tests/bench/results/before-after.md
[ "$bench_part" != all ] && out=$top/tests/bench/results/before-after-$bench_part.md
work=$(mktemp -d /tmp/ctdbpcmk-compare.XXXXXX)

cleanup() {
    if [ -e "$work/base" ]; then
        git -C "$top" worktree remove --force "$work/base" >/dev/null 2>&1 ||
            { echo "compare-builds: removing the worktree $work/base failed; kept $work" >&2; return; }
    fi
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# daemon_project TREE: the daemon's project in TREE, found by its assembly name or by its path.
# daemon_binary PROJECT: the daemon that PROJECT builds.
daemon_project() {
    local p
    p=$(grep -rl --include='*.csproj' '<AssemblyName>ctdb-pcmkd</AssemblyName>' "$1/daemon" 2>/dev/null | head -n 1)
    [ -n "$p" ] && { echo "$p"; return; }
    for p in "$1/daemon/CtdbPcmk.Daemon/CtdbPcmk.Daemon.csproj" "$1/daemon/ctdb-pcmkd/ctdb-pcmkd.csproj"; do
        [ -f "$p" ] && { echo "$p"; return; }
    done
    return 1
}
daemon_binary() { echo "$(dirname "$1")/bin/$config/net10.0/ctdb-pcmkd"; }

before_rev=$(git -C "$top" rev-parse --verify --quiet "$base^{commit}") ||
    { echo "compare-builds: $base is not a revision" >&2; exit 2; }
after_rev=$(git -C "$top" describe --always --dirty)
project=$(daemon_project "$top") || { echo "compare-builds: no daemon project in $top" >&2; exit 2; }
after_bin=$(daemon_binary "$project")
[ -x "$after_bin" ] || { echo "compare-builds: $after_bin not built (run make build)" >&2; exit 2; }

echo "compare-builds: building the daemon at $base ($(git -C "$top" log -1 --format=%h "$before_rev")) in $work/base" >&2
git -C "$top" worktree add --detach --quiet "$work/base" "$before_rev" || exit 2
project=$(daemon_project "$work/base") || { echo "compare-builds: no daemon project at $base" >&2; exit 2; }
dotnet build "$project" -c "$config" -f net10.0 -nologo -v q -nodeReuse:false -p:UseSharedCompilation=false >&2 ||
    { echo "compare-builds: building $project failed" >&2; exit 2; }
before_bin=$(daemon_binary "$project")
[ -x "$before_bin" ] || { echo "compare-builds: $before_bin not found after the build" >&2; exit 2; }

command="tests/bench/compare-builds.sh $base $config $rounds"
[ -n "${THREE_NODE_RUNS:-}" ] && command="THREE_NODE_RUNS=$THREE_NODE_RUNS $command"
[ "$bench_part" != all ] && command="BENCH_PART=$bench_part $command"
started=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
load=$(cut -d' ' -f1-3 /proc/loadavg)
failed=()
for ((r = 1; r <= rounds; r++)); do
    for side in before after; do
        bin=$after_bin
        [ "$side" = before ] && bin=$before_bin
        echo "compare-builds: round $r of $rounds, $side" >&2
        if ! BENCH_RESULTS_DIR=$work/$side-$r CTDBPCMK_DAEMON=$bin "$top/tests/bench/run" "$config" "$bench_part" \
            >"$work/$side-$r.log" 2>&1; then
            failed+=("$side, round $r: $(tail -n 3 "$work/$side-$r.log" | tr '\n' ' ')")
            echo "compare-builds: the $side run of round $r failed (exit status not 0)" >&2
        fi
    done
done

# One line per (part, metric, side, round) with a ratio, in the bench's own order.
rows=$(for f in "$work"/{before,after}-*/{single,three}-node.json; do
    [ -f "$f" ] || continue
    jq -c --arg file "$f" '($file | capture("/(?<side>before|after)-[0-9]+/(?<part>single|three)-node\\.json$")) as $f
        | .rows | to_entries[] | select(.value.ratio != null)
        | {part: $f.part, side: $f.side, order: .key, metric: .value.metric, ratio: .value.ratio}' "$f"
done | jq -s -c '.')

table=$(jq -r --argjson limit "$limit" '
    def median: sort | if length == 0 then null
        elif length % 2 == 1 then .[length / 2 | floor]
        else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    group_by([.part, .metric]) | map({
        part: .[0].part, metric: .[0].metric, order: (map(.order) | min),
        higher: (.[0].metric | test("/s$")),
        before: (map(select(.side == "before") | .ratio) | median),
        after: (map(select(.side == "after") | .ratio) | median)})
    | map(. + (if .before == null or .after == null or .before == 0 then {change: null}
               else {change: ((.after / .before - 1) * 100)} end))
    | map(. + {verdict: (if .change == null then "NO (no figure on one side)"
        elif (.change | fabs) <= $limit then "within \($limit) %"
        elif (.change > 0) == .higher then "better by more than \($limit) %"
        else "NO: worse by more than \($limit) %" end)})
    | sort_by(.part != "single", .order)
    | .[] | [.part, .metric, (if .higher then "higher" else "lower" end), .before, .after, .change, .verdict]
    | @tsv' <<<"$rows")

{
    echo "# Bench ratios before and after: ctdb-pcmkd at two revisions, each against ctdbd 4.17"
    echo
    echo "Command: \`$command\`  "
    echo "Date: $started  "
    echo "Machine: $(nproc) CPUs, load average at start $load  "
    echo "Before: $(git -C "$top" log -1 --format='%h %s' "$before_rev") (\`$base\`)  "
    echo "After: $after_rev (this tree's build)"
    echo
    echo "Each round runs \`tests/bench/run $config $bench_part\` with the daemon"
    echo "built at the before revision, then with this tree's; $rounds round(s) each, the same bench"
    echo "client, harness and ctdbd for both. A ratio is ours / ctdbd within one run; the table gives"
    echo "its median over the rounds and the change from before to after. Better: a latency, a"
    echo "recovery time and an RSS are better lower, a rate higher. Rows the bench gives no ratio for"
    echo "(no ctdbd figure) are left out."
    for part in single three; do
        echo
        [ "$part" = single ] && echo "## Single node" || echo "## Three nodes"
        echo
        echo "| metric | better | before | after | change | within $limit %? |"
        echo "|---|---|---|---|---|---|"
        awk -F'\t' -v part="$part" '
            function num(v, f) { return v == "" ? "—" : sprintf(f, v) }
            $1 == part { printf "| %s | %s | %s | %s | %s | %s |\n", $2, $3, num($4, "%.3f"), num($5, "%.3f"), num($6, "%+.1f %%"), $7 }' <<<"$table"
    done
    if [ ${#failed[@]} -gt 0 ]; then
        echo
        echo "Failed runs:"
        printf -- '- %s\n' "${failed[@]}"
    fi
} >"$out"
cat "$out"

worse=$(grep -c $'\tNO' <<<"$table")
if [ "$worse" -gt 0 ] || [ ${#failed[@]} -gt 0 ]; then
    echo "compare-builds: $worse ratio(s) not within $limit % or worse, ${#failed[@]} failed run(s)" >&2
    exit 1
fi
