#!/usr/bin/env bash
# Agent benchmark: for each agent and action, median latency, processes exec'd, peak RSS; ours
# (ocf:ctdb:*) side by side with the resource-agents shell agents, in one run inside a
# throw-away network namespace. Writes tests/bench/results/agents.md.
#
#   tests/bench/agents-bench.sh [CONFIG]        (root; AGENTS_BENCH_RUNS=N, default 20)
#
# Each agent's measurements live in tests/bench/agents.d/<agent>.sh, which defines
# bench_<agent>; that function sets up what it needs in the namespace and calls measure_agent.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-Release}
if [ "${2:-}" != --inner ]; then
    root=${CTDBPCMK_OCF_ROOT:-$top/artifacts/ocf-root}
    if [ -z "${CTDBPCMK_OCF_ROOT:-}" ]; then
        "$top/agents/install-ocf-root.sh" "$root" "$config" >/dev/null
    fi
    # The start-up floor: an empty C program and an empty Native AOT program built like the agents.
    floor=$(mktemp -d)
    gcc -O2 -o "$floor/empty-c" "$top/tests/bench/floor/empty.c"
    dotnet publish "$top/tests/bench/floor/StartupFloor.csproj" -c "$config" \
        -r "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')" -o "$floor/aot" -nologo -v q >/dev/null
    ns="ctdbpcmk-bench-$$-$RANDOM"
    ip netns add "$ns"
    trap 'ip netns del "$ns"; rm -rf "$floor"' EXIT
    mkdir -p "$top/tests/bench/results"
    CTDBPCMK_OCF_ROOT=$root CTDBPCMK_FLOOR=$floor ip netns exec "$ns" "$0" "$config" --inner > "$top/tests/bench/results/agents.md.new"
    mv "$top/tests/bench/results/agents.md.new" "$top/tests/bench/results/agents.md"
    cat "$top/tests/bench/results/agents.md"
    exit 0
fi

# --- inside the namespace from here on ---
runs=${AGENTS_BENCH_RUNS:-20}
ours=$CTDBPCMK_OCF_ROOT
stock=/usr/lib/ocf
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 192.0.2.1/24 dev v0
ip -6 addr add 2001:db8::1/64 dev v0 nodad
export OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 OCF_RESKEY_CRM_meta_timeout=20000

# median_ms CMD...: median wall time over $runs runs (hyperfine, no shell, 3 warmups).
# PREPARE (a command line) runs before each timed run, e.g. "RA stop" before timing start.
median_ms() {
    local prepare=$1; shift
    local args=(-N ${HF_IGNORE:-} --warmup 3 --runs "$runs" --export-json "$work/hf.json" --style none)
    [ -n "$prepare" ] && args+=(--prepare "$prepare")
    hyperfine "${args[@]}" "$*" >/dev/null 2>"$work/hf.err" || { echo "failed"; return; }
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.1f" % (r["median"]*1000))' "$work/hf.json"
}

# execs CMD...: processes exec'd by one run, not counting the agent itself.
# EXECS_UNTIL_EXIT=1 (an agent whose start leaves a daemon running, which strace -f would wait
# for): counts until the agent itself exits, then detaches strace from what is left running.
execs() {
    if [ "${EXECS_UNTIL_EXIT:-}" = 1 ]; then
        : >"$work/trace"
        # -q, not -qq: the agent's "+++ exited" line is what ends the count; -I 1: with -o, strace
        # otherwise ignores the SIGTERM that detaches it.
        strace -f -q -I 1 -e trace=execve -e signal=none -o "$work/trace" "$@" >/dev/null 2>&1 &
        local tracer=$! agent=""
        while kill -0 "$tracer" 2>/dev/null; do
            [ -n "$agent" ] || agent=$(head -n 1 "$work/trace" | cut -d' ' -f1)
            [ -n "$agent" ] && grep -Eq "^$agent +[+]{3} exited" "$work/trace" && break
            sleep 0.01
        done
        kill "$tracer" 2>/dev/null || true
        wait "$tracer" 2>/dev/null || true
    else
        strace -f -qq -e trace=execve -e signal=none -o "$work/trace" "$@" >/dev/null 2>&1 || true
    fi
    echo $(( $(grep -c 'execve(.*= 0$' "$work/trace") - 1 ))
}

# peak_kb CMD...: peak RSS of one run in KB (GNU time; for a shell agent, the largest of the
# processes it waited for).
peak_kb() {
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/rss"
}

# measure_agent LABEL RA: one table row per action. The caller exports the OCF_RESKEY_*.
# Order: meta-data, validate-all, probe (stopped), start, monitor (running), stop.
declare -A monitor_ms
measure_agent() {
    local label=$1 ra=$2 a
    "$ra" stop >/dev/null 2>&1 || true
    for a in meta-data validate-all probe start monitor stop; do
        local t x r
        case $a in
            probe)
                # A probe of a stopped resource exits 7, so failures are not errors here.
                export OCF_RESKEY_CRM_meta_interval=0
                t=$(HF_IGNORE=-i median_ms "" "$ra" monitor); x=$(execs "$ra" monitor); r=$(peak_kb "$ra" monitor)
                unset OCF_RESKEY_CRM_meta_interval
                ;;
            start)
                t=$(median_ms "$ra stop" "$ra" start); "$ra" stop >/dev/null 2>&1
                x=$(execs "$ra" start); "$ra" stop >/dev/null 2>&1
                r=$(peak_kb "$ra" start)
                ;;
            stop)
                t=$(median_ms "$ra start" "$ra" stop)
                "$ra" start >/dev/null 2>&1; x=$(execs "$ra" stop)
                "$ra" start >/dev/null 2>&1; r=$(peak_kb "$ra" stop)
                ;;
            monitor)
                export OCF_RESKEY_CRM_meta_interval=10000
                t=$(median_ms "" "$ra" monitor); x=$(execs "$ra" monitor); r=$(peak_kb "$ra" monitor)
                monitor_ms[$label]=$t
                unset OCF_RESKEY_CRM_meta_interval
                ;;
            *)
                t=$(median_ms "" "$ra" "$a"); x=$(execs "$ra" "$a"); r=$(peak_kb "$ra" "$a")
                ;;
        esac
        echo "| $label | $a | $t | $x | $(( r / 1024 )).$(( (r % 1024) * 10 / 1024 )) |"
    done
    "$ra" stop >/dev/null 2>&1 || true
}

ratio() { python3 -c 'import sys; print("%.1f" % (float(sys.argv[1]) / float(sys.argv[2])))' "$1" "$2"; }

echo "# Agent benchmark"
echo
echo "Command: \`tests/bench/agents-bench.sh $config\` (run by \`make bench\`), $(date -u '+%Y-%m-%d %H:%M UTC'),"
echo "$(nproc) CPUs, kernel $(uname -r), resource-agents $(dpkg-query -W -f '${Version}' resource-agents 2>/dev/null || echo '?')."
echo "Inside a private network namespace (veth pair). Latency: median of $runs runs (hyperfine -N, 3 warmups)."
echo "execs: processes exec'd by one run besides the agent itself (strace -f -e trace=execve)."
echo "peak RSS: /usr/bin/time -f %M of one run (for shell agents: the largest process waited for)."
echo "probe = monitor with interval 0 while stopped; monitor = recurring monitor while running."
for f in "$top"/tests/bench/agents.d/*.sh; do
    # shellcheck source=/dev/null
    . "$f"
    name=$(basename "$f" .sh)
    "bench_$name"
done
