#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fault suite on the Pacemaker box (tests/pcmk-box, our daemon as a promotable clone with the
# addresses and smbd): partitions with every process alive (partitions.sh) and hung daemons
# (hung.sh), side by side with a hung leader of the real ctdbd 4.17 (tests/local-daemons), in one
# run. Two boxes, one after the other: without fencing (partitions), then with stonith-enabled and
# the box's fence device (partitions, where the cut-off node must be fenced, and hung daemons).
# The ctdbd rounds run alongside, in their own namespace. A leader watch samples every node for
# the whole life of each box (leader-watch.py). Writes tests/faults/results/box.md; exits 1 when
# a check failed (logs of a failed round in /tmp/faultbox-evidence/).
#
#   tests/faults/box-faults.sh [CONFIG]     (root; `make faults-box`)
# Environment: FAULTBOX_ROUNDS (rounds per scenario, default 3), FAULTBOX_DIR (box and work
# directories' prefix, default /tmp/ctdbpcmk-faultbox), FAULTBOX_OCF_ROOT (an installed OCF root
# instead of publishing one), FAULT_SECONDS (how long a partition lasts, 40), HUNG_CAP (300),
# FAULTBOX_ONLY (space-separated parts: nofence fence ctdbd; default all three), FAULTBOX_KINDS
# (partition kinds: isolate-leader isolate-other one-way one-link; default all four), FAULTBOX_EVIDENCE
# (all: the logs of every partition round kept, not only of failed ones).
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-Release}
rounds=${FAULTBOX_ROUNDS:-3}
prefix=${FAULTBOX_DIR:-/tmp/ctdbpcmk-faultbox}
only=${FAULTBOX_ONLY:-nofence fence ctdbd}
kinds=${FAULTBOX_KINDS:-isolate-leader isolate-other one-way one-link}
results=$top/tests/faults/results
work=$prefix-work
CTDBD_DIR=$prefix-ctdbd
BOXDIR=""
watch_pid=""
ctdbd_pid=""

# shellcheck source=tests/faults/box-lib.sh
. "$top/tests/faults/box-lib.sh"
# shellcheck source=tests/faults/partitions.sh
. "$top/tests/faults/partitions.sh"
# shellcheck source=tests/faults/hung.sh
. "$top/tests/faults/hung.sh"

stop_watch() {
    if [ -n "$watch_pid" ]; then
        kill -TERM "$watch_pid" 2>/dev/null || true
        wait "$watch_pid" 2>/dev/null || true
        watch_pid=""
    fi
}

cleanup() {
    touch "$work/stop-writes" 2>/dev/null || true
    stop_watch
    if [ -n "$ctdbd_pid" ]; then
        kill -TERM "$ctdbd_pid" 2>/dev/null || true
        wait "$ctdbd_pid" 2>/dev/null || true
    fi
    [ -d "$CTDBD_DIR" ] && { "$top/tests/local-daemons" "$CTDBD_DIR" teardown >/dev/null 2>&1 || true; rm -rf "$CTDBD_DIR"; }
    [ -n "$BOXDIR" ] && { bx down >/dev/null 2>&1 || true; }
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ "$(id -u)" = 0 ] || { echo "box-faults: needs root (namespaces)" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work" "$results"
if [ -z "${FAULTBOX_OCF_ROOT:-}" ]; then
    "$top/agents/install-ocf-root.sh" "$work/ocf-root" "$config" >/dev/null
    FAULTBOX_OCF_ROOT=$work/ocf-root
fi
export BOX_OCF_ROOT=$FAULTBOX_OCF_ROOT
start=$(date -u +%FT%TZ)
load0=$(cut -d' ' -f1-3 /proc/loadavg)

# The ctdbd rounds alongside the boxes (their own namespace, their own directory).
if [[ " $only " == *" ctdbd "* ]]; then
    (
        trap - EXIT
        for r in $(seq "$rounds"); do hung_ctdbd_round "$r"; done
    ) >"$work/rows-ctdbd" 2>"$work/ctdbd.log" &
    ctdbd_pid=$!
fi

run_box() {
    local name=$1 fencing=$2
    BOXDIR=$prefix-$name
    bx down >/dev/null 2>&1 || true
    log "box $name: up"
    if [ "$fencing" = yes ]; then box_up --fencing; else box_up; fi || { log "box $name did not come up"; evidence "box-$name-up"; return 1; }
    : >"$work/leaders.csv"
    python3 "$top/tests/faults/leader-watch.py" sample "$BOXDIR" "$work/leaders.csv" 0.5 &
    watch_pid=$!
    local kind r
    for kind in $kinds; do
        for r in $(seq "$rounds"); do
            partition_round "$kind" "$r" "$fencing" | sed "s/^| /| $name | /" >>"$work/rows-partitions"
        done
    done
    if [ "$fencing" = yes ]; then
        for kind in leader other; do
            for r in $(seq "$rounds"); do hung_round "$kind" "$r" >>"$work/rows-hung"; done
        done
    fi
    stop_watch
    cp "$work/leaders.csv" "$work/leaders-$name.csv"
    bx down >/dev/null 2>&1 || true
    BOXDIR=""
}

[[ " $only " == *" nofence "* ]] && run_box nofence no
[[ " $only " == *" fence "* ]] && run_box fence yes
if [ -n "$ctdbd_pid" ]; then
    wait "$ctdbd_pid" || true
    ctdbd_pid=""
    cat "$work/rows-ctdbd" >>"$work/rows-hung"
fi

python3 "$top/tests/faults/summarize.py" "$work" "$rounds" "$start" "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "tests/faults/box-faults.sh $config" >"$results/box.md.new"
mv "$results/box.md.new" "$results/box.md"
cat "$results/box.md"
! grep -q '| no |$' "$work/rows-partitions" "$work/rows-hung" 2>/dev/null
