#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The live fuzzer (CtdbPcmk.Fuzz live) against our daemon and, in the same run, against the real
# ctdbd 4.17: each as node 0 of a two-node tests/local-daemons cluster whose node 1 never starts,
# so the fuzzer can speak for node 1 over TCP (from 127.0.0.2) besides its client connections.
# Our daemon must stay up, answer every ping, keep its peak RssAnon within 64 MB of its
# warmed-up value and come back within 20 MB of it, with its descriptors back to idle; ctdbd is
# only observed (it is expected to crash: the packet count and its log's last lines are shown).
#
#   tests/fuzz/live.sh [PACKETS] [ours|ctdb|both]     default: 1000000 both
#
# Our daemon: CTDBPCMK_DAEMON (default the Native AOT build artifacts/daemon-aot/ctdb-pcmkd,
# made by packaging/publish-daemon-aot.sh when missing). Report: artifacts/fuzz/live.txt.
set -uo pipefail

repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
packets=${1:-1000000}
which=${2:-both}
config=${CONFIG:-Release}
harness=$repo/tests/CtdbPcmk.Fuzz/bin/$config/net10.0/CtdbPcmk.Fuzz.dll
corpus=$repo/tests/CtdbPcmk.Fuzz/corpus
report=$repo/artifacts/fuzz/live.txt
ld=$repo/tests/local-daemons
mkdir -p "$repo/artifacts/fuzz"
: > "$report"

if [ -z "${CTDBPCMK_DAEMON:-}" ]; then
    export CTDBPCMK_DAEMON=$repo/artifacts/daemon-aot/ctdb-pcmkd
    [ -x "$CTDBPCMK_DAEMON" ] || "$repo/packaging/publish-daemon-aot.sh" "$repo/artifacts/daemon-aot" "$config" > /dev/null ||
        { echo "live.sh: the AOT daemon did not build" >&2; exit 1; }
fi
[ -f "$harness" ] || dotnet build "$repo/tests/CtdbPcmk.Fuzz/CtdbPcmk.Fuzz.csproj" -c "$config" -nologo -v q > /dev/null ||
    { echo "live.sh: the harness did not build" >&2; exit 1; }

status=0
run_one() {
    local impl=$1 dir pid sock ns rc
    dir=$(mktemp -d /tmp/fuzz-live.XXXXXX)
    trap '"$ld" "$dir" teardown > /dev/null 2>&1; rm -rf "$dir"' RETURN
    "$ld" "$dir" setup 2 --impl "$impl" > /dev/null || return 1
    "$ld" "$dir" start 0 > /dev/null || { "$ld" "$dir" status; return 1; }
    [ "$impl" = ours ] && { "$ld" "$dir" leader 0 > /dev/null || return 1; }
    pid=$("$ld" "$dir" pid 0) && sock=$("$ld" "$dir" socket 0) && ns=$(cat "$dir/netns") || return 1
    local assert=()
    [ "$impl" = ours ] && assert=(--assert)
    ip netns exec "$ns" dotnet "$harness" live --socket "$sock" --pid "$pid" --corpus "$corpus/client" \
        --node-corpus "$corpus/node" --node 127.0.0.1:4379 --bind 127.0.0.2 --packets "$packets" \
        --warmup "${LIVE_WARMUP:-20000}" --label "$impl" --report "$report" --databases "$dir/node.0/db" "${assert[@]}"
    rc=$?
    if [ "$impl" = ctdb ] && ! "$ld" "$dir" pid 0 > /dev/null 2>&1; then
        echo "ctdb: ctdbd's log at its end:" | tee -a "$report"
        grep -hiE "signal|segv|segmentation|abort|assert|backtrace|PANIC|OOM|out of memory|dumping" \
            "$dir"/node.0/log "$dir"/node.0/ctdbd.out 2> /dev/null | tail -15 | tee -a "$report"
    fi
    [ "$impl" = ours ] && [ $rc -ne 0 ] && return 1
    return 0
}

case $which in
    ours) run_one ours || status=1 ;;
    ctdb) run_one ctdb || status=1 ;;
    both) run_one ours || status=1; run_one ctdb || status=1 ;;
    *) echo "usage: live.sh [PACKETS] [ours|ctdb|both]" >&2; exit 2 ;;
esac
echo "live.sh: report in $report"
exit $status
