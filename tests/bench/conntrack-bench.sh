#!/usr/bin/env bash
# Connection tracker benchmark (the tracker of ocf:ctdb:conntrack) in one run:
#   a  replay: the kernel's own conntrack NEW/DESTROY messages, recorded in a namespace and
#      copied for other clients, fed through the tracker's parse -> table -> batched
#      PCMK_TCP_UPDATE path into a real ctdb-pcmkd: events/s and CPU, long-lived and churn,
#      and the CPU at a fixed 50,000 events/s
#   b  real churn: a client namespace opening and closing connections to the public address
#      as fast as it can, the tracker on the kernel's events: made vs seen, overruns, stale entries
#   c  SYN -> entry on the other node, commit_interval 1 and 0
#   d  10,000 clients tickled after takeover (reset-client) vs a C floor and resource-agents'
#      tickle_tcp fed a portblock tickle_dir file
#   e  ctdbd 4.17 beside ctdb-pcmkd: TCP_CLIENT, ctdb addtickle, time to the other node
# Writes tests/bench/results/conntrack.{md,json}.
#
#   tests/bench/conntrack-bench.sh [CONFIG]   (root; the build must exist: make bench builds first)
# CONNTRACK_BENCH_PARTS=abcde picks parts; CONNTRACK_BENCH_QUICK=1 runs smaller sizes (not for
# results); BENCH_RESULTS_DIR writes the results elsewhere. Every namespace and cluster the run
# makes is noted in a ledger and removed on every exit path.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-Release}
bench=$top/tests/CtdbPcmk.Bench/bin/$config/net10.0/ctdbpcmk-bench
results=${BENCH_RESULTS_DIR:-$top/tests/bench/results}
work=$(mktemp -d /tmp/ctdbpcmk-ctbench.XXXXXX)
ledger=$work/ledger
: > "$ledger"
bench_pid=""

cleanup() {
    local kind what
    if [ -n "$bench_pid" ] && kill -0 "$bench_pid" 2>/dev/null; then
        kill "$bench_pid" 2>/dev/null
        wait "$bench_pid" 2>/dev/null
    fi
    while read -r kind what; do
        case $kind in
            cluster)
                if [ -d "$what" ]; then
                    "$top/tests/local-daemons" "$what" teardown >/dev/null 2>&1 || echo "conntrack-bench: teardown of $what failed" >&2
                    rm -rf "$what"
                fi ;;
            netns)
                if ip netns list | grep -qw "$what"; then
                    ip netns del "$what" || echo "conntrack-bench: could not delete namespace $what" >&2
                fi ;;
        esac
    done < "$ledger"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$bench" ] || { echo "conntrack-bench: $bench not built (run make bench)" >&2; exit 1; }
export CTDBPCMK_DAEMON=${CTDBPCMK_DAEMON:-$top/daemon/CtdbPcmk.Daemon/bin/$config/net10.0/ctdb-pcmkd}
[ -x "$CTDBPCMK_DAEMON" ] || { echo "conntrack-bench: $CTDBPCMK_DAEMON not built (run make bench)" >&2; exit 1; }
loadavg=$(cut -d' ' -f1-3 /proc/loadavg)

args=(conntrack --out "$work/out"
      --parts "${CONNTRACK_BENCH_PARTS:-abcde}"
      --info "command=${CONNTRACK_BENCH_COMMAND:-tests/bench/conntrack-bench.sh $config}"
      --info "loadavg=$loadavg"
      --info "configuration=$config"
      --info "version.ctdbd=$(dpkg-query -W -f='${Version}' ctdb 2>/dev/null || echo unknown)"
      --info "version.resource-agents=$(dpkg-query -W -f='${Version}' resource-agents 2>/dev/null || echo unknown)"
      --info "version.ctdb-pcmkd=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)"
      --info "version.dotnet-sdk=$(dotnet --version 2>/dev/null || echo unknown)")
[ "${CONNTRACK_BENCH_QUICK:-0}" = 1 ] && args+=(--quick)

# The floor under one tickle round: C, one sendto() per ACK on a raw socket.
if gcc -O2 -Wall -Werror -o "$work/tickle-floor" "$top/tests/bench/floor/tickle-floor.c"; then
    args+=(--tickle-floor "$work/tickle-floor")
else
    echo "conntrack-bench: building the tickle floor failed; no floor in this run" >&2
fi
# Real churn from C (no managed runtime beside the tracker's): client and server.
if gcc -O2 -Wall -Werror -pthread -o "$work/churn" "$top/tests/bench/floor/churn.c"; then
    args+=(--churn "$work/churn")
else
    echo "conntrack-bench: building the churn tool failed; churn from the benchmark process instead" >&2
fi
# resource-agents' tickle_tcp (portblock's $HA_BIN/tickle_tcp; Debian ships it in /usr/libexec/heartbeat).
for t in /usr/libexec/heartbeat/tickle_tcp /usr/lib/heartbeat/tickle_tcp /usr/lib/ocf/lib/heartbeat/tickle_tcp; do
    if [ -x "$t" ]; then
        args+=(--tickle-tcp "$t")
        break
    fi
done

CTDBPCMK_BENCH_LEDGER=$ledger "$bench" "${args[@]}" &
bench_pid=$!
wait "$bench_pid"
rc=$?
bench_pid=""
if [ $rc -eq 0 ] && [ -s "$work/out/conntrack.md" ]; then
    mkdir -p "$results"
    cp "$work/out/conntrack.md" "$work/out/conntrack.json" "$results/"
fi
exit $rc
