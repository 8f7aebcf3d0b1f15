#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Kills during writes, on ctdb-pcmkd and on the real ctdbd 4.17 (tests/local-daemons clusters of
# 3 nodes): ptrans writers on a persistent and a replicated database on every node while random
# nodes are SIGKILLed and restarted. Writes tests/faults/results/kills.md.
#
#   tests/faults/kills.sh [CONFIG]       environment: FAULTS_KILLS (default 100 per daemon),
#                                        FAULTS_MINUTES (a time budget per daemon: no kill starts
#                                        after it; default none), FAULTS_SEED (default: random), FAULTS_IMPLS
#                                        (default "ours ctdb"), FAULTS_PARALLEL=1 (the daemons' runs at
#                                        the same time, under the same load), CTDBPCMK_DAEMON (our daemon binary)
set -uo pipefail
config=${1:-Release}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/faults/common.sh"
kills=${FAULTS_KILLS:-100}
seed=${FAULTS_SEED:-$((RANDOM * 32768 + RANDOM))}
impls=${FAULTS_IMPLS:-ours ctdb}
minutes=${FAULTS_MINUTES:-0}
out=$top/tests/faults/results/kills.md
frag=$(mktemp)
trap 'rm -f "$frag"' EXIT
rc=0
parallel=${FAULTS_PARALLEL:-0}
pids=()
for impl in $impls; do
    echo "== kills, $impl: $kills kills, seed $seed"
    if [ "$parallel" = 1 ]; then
        faults_bin kills --impl "$impl" --kills "$kills" --minutes "$minutes" --seed "$seed" --report "$frag.$impl" > "$frag.$impl.out" 2>&1 &
        pids+=($!)
    else
        faults_bin kills --impl "$impl" --kills "$kills" --minutes "$minutes" --seed "$seed" --report "$frag" || rc=1
    fi
done
for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
if [ "$parallel" = 1 ]; then
    for impl in $impls; do
        tail -n 20 "$frag.$impl.out"
        cat "$frag.$impl" >> "$frag" 2>/dev/null
        cat "$frag.$impl.table" >> "$frag.table" 2>/dev/null
        rm -f "$frag.$impl" "$frag.$impl.table" "$frag.$impl.out"
    done
fi
faults_results "$out" "Kills during writes" "FAULTS_KILLS=$kills FAULTS_MINUTES=$minutes FAULTS_SEED=$seed FAULTS_IMPLS=\"$impls\" FAULTS_PARALLEL=$parallel tests/faults/kills.sh $config" "$frag"
exit $rc
