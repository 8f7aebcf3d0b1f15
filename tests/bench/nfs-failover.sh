#!/usr/bin/env bash
# NFSv4.0 client recovery on the 3-node cluster in a box (tests/pcmk-box), in one run: this
# project's agents (profile ours: ocf:ctdb:nfs clone + ocf:ctdb:vip nfs_grace=true) against the
# stock way (profile stock with BOX_NFS=yes: ganesha.nfsd under ocf:heartbeat:anything +
# ocf:heartbeat:IPaddr2, no grace on address moves), both without Samba (BOX_SAMBA=no) and over
# this project's daemon clone with the same constraints.
# Each round (ctdbpcmk-bench nfs-failover, tests/CtdbPcmk.Bench/Nfs/): client A at the client
# address creates a file through VIP 1, writes it and write-locks bytes 0..99; the node serving
# VIP 1 loses power (box kill); A then does what an NFSv4.0 client does: reconnect (attempts
# bounded by 300 ms, retried at once), SETCLIENTID with the same id string, reclaim its open
# (CLAIM_PREVIOUS) and its lock (reclaim=true), or open anew (CLAIM_NULL) when the server
# refuses the reclaim, and READ its data. Client B tries to take a conflicting write lock from
# the power loss until 5 s after VIP 1 first answered it. The killed node is booted again
# between rounds. Writes tests/bench/results/nfs-failover.md.
#
#   tests/bench/nfs-failover.sh [CONFIG]     (root; NFS_ROUNDS=N rounds per set, default 5;
#                                            NFS_SETS="ours" narrows a run, which then writes its
#                                            report to stdout only; NFS_BOX=DIR, default
#                                            /tmp/ctdbpcmk-nfsbench, the box directory prefix)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-Release}
rounds=${NFS_ROUNDS:-5}
box=$top/tests/pcmk-box/box
bench=$top/tests/CtdbPcmk.Bench/bin/$config/net10.0/ctdbpcmk-bench
boxdir=${NFS_BOX:-/tmp/ctdbpcmk-nfsbench}
work=$(mktemp -d /tmp/ctdbpcmk-nfsfail.XXXXXX)
results=$top/tests/bench/results
vip=192.168.78.101
current=""
cleanup() {
    [ -z "$current" ] || "$box" "$current" down >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

holder() {
    for n in 1 2 3; do
        if ip -n "$(cat "$current/name")-n$n" -o addr show dev eth0 2>/dev/null | grep -q " $vip/"; then echo "$n"; fi
    done
}
# The value of KEY in a line of KEY=VALUE words.
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

# Until crm_mon shows the nfs clone started on all three nodes (at most 180 s).
nfs_all_started() {
    local deadline=$((SECONDS + 180))
    until "$box" "$current" status 2>/dev/null | awk '/Clone Set: nfs-clone/ {f = 1; next} f && /Started:/ {print; exit}' | grep -q 'n1 n2 n3'; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.5
    done
}
# Grace_Period of the box's ganesha.conf (20 s) and a margin.
grace_wait=25

[ -x "$bench" ] || { echo "nfs-failover: build first ($bench is missing)" >&2; exit 1; }
if [ -z "${CTDBPCMK_OCF_ROOT:-}" ]; then
    "$top/agents/install-ocf-root.sh" "$work/ocf-root" "$config" >/dev/null
fi
export BOX_OCF_ROOT=${CTDBPCMK_OCF_ROOT:-$work/ocf-root}
load_at_start="$(uptime | sed 's/^ *//')"

rows=()
notes=()
# Logs of the nodes when a round found VIP 1 on no node (kept after the box is gone).
diag=${NFS_DIAG:-/tmp/ctdbpcmk-nfsbench-diag}
sets=${NFS_SETS:-ours stock}
for set in $sets; do
    current=$boxdir-$set
    [ ! -e "$current/name" ] || "$box" "$current" down
    if [ "$set" = stock ]; then
        # resource-agents 4.12's portblock never finds its own rule with iptables 1.8.9 (it prints
        # the protocol as a number; upstream resource-agents PR #1924): the one pattern widened,
        # as in smb-failover.sh.
        mkdir -p "$current/ocf-extra/resource.d/heartbeat"
        sed 's/\^DROP\${w}\${1}\${w}--/^DROP${w}\\(${1}\\|6\\|17\\)${w}--/' \
            /usr/lib/ocf/resource.d/heartbeat/portblock >"$current/ocf-extra/resource.d/heartbeat/portblock"
        chmod 0755 "$current/ocf-extra/resource.d/heartbeat/portblock"
    fi
    BOX_SAMBA=no BOX_NFS=yes BOX_TOKEN=1000 BOX_TOKEN_COEFF=0 "$box" "$current" up >&2
    BOX_SAMBA=no BOX_NFS=yes "$box" "$current" resources "$set" >&2
    "$box" "$current" wait-started 180 >&2
    nfs_all_started || { echo "nfs-failover: NFS-Ganesha not started on all nodes" >&2; "$box" "$current" status >&2 || true; exit 1; }
    sleep "$grace_wait"
    for r in $(seq "$rounds"); do
        "$box" "$current" wait-started 180 >&2
        sleep 2
        # The cluster may still move things after the restored node joined: wait for one holder.
        waited=0
        until x=$(holder) && [ "$(echo "$x" | wc -w)" = 1 ]; do
            [ $waited -lt 300 ] || { echo "nfs-failover: VIP 1 on [$x]" >&2; "$box" "$current" status >&2 || true; exit 1; }
            [ $waited -gt 0 ] || { echo "nfs-failover: round $r: VIP 1 on [$x] after wait-started" >&2; "$box" "$current" status >&2 || true; }
            waited=$((waited + 1))
            sleep 0.3
        done
        if [ $waited -gt 0 ]; then
            notes+=("$set round $r: VIP 1 was on no node after the cluster reported all started; on n$x within $((waited * 300)) ms more (the harness waits for it).")
            mkdir -p "$diag/$set-$r"
            for n in 1 2 3; do cp -r "$current/n$n/log" "$diag/$set-$r/n$n" 2>/dev/null || true; done
        fi
        out=$("$bench" nfs-failover --netns "$(cat "$current/name")-sw" --vip "$vip" \
            --file "bench-$set-$r-$$" --id "ctdbpcmk-nfsbench $set $r $$" --window 5 --timeout 120 \
            -- "$box" "$current" kill "$x" 2>"$work/client.err") || true
        [ -n "$out" ] || out="read_ms=none open=error:$(head -c 120 "$work/client.err" | tr '\n|' '  ')"
        taker=$(holder)
        row="| $set | $r | n$x | n${taker:-?} | $(field answered_ms "$out") | $(field read_ms "$out") | $(field open "$out") | $(field lock "$out") | $(field data "$out") | $(field conflict "$out") |"
        echo "$row" >&2
        rows+=("$row")
        "$box" "$current" start "$x" >&2
        # The restored node's NFS-Ganesha starts in grace of its own (the stock servers, without
        # node ids, all read the same client records): a takeover by it within Grace_Period would
        # let any client reclaim. The next round starts once all three servers run and are past it.
        nfs_all_started || { echo "nfs-failover: NFS-Ganesha not started on all nodes" >&2; "$box" "$current" status >&2 || true; exit 1; }
        sleep "$grace_wait"
    done
    "$box" "$current" wait-started 180 >&2 || true
    cp "$current/n1/log/ganesha/ganesha.log" "$work/ganesha-$set-n1.log" 2>/dev/null || true
    "$box" "$current" down
    current=""
done

median() { sort -n | awk '{a[NR]=$1} END{if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
col() { printf '%s\n' "${rows[@]}" | awk -F'|' -v s=" $1 " -v c="$2" '$2==s {gsub(/^ +| +$/,"",$c); print $c}'; }
stat() { local v; v=$(col "$1" "$2" | grep '^[0-9][0-9]*$' || true); echo "$(echo "$v" | median) ($(echo "$v" | grep -c . || true)/$rounds)"; }
count() { echo "$(col "$1" "$2" | grep -c "$3" || true)/$rounds"; }
ratio() { python3 -c 'import sys
try: print("%.2f" % (float(sys.argv[1]) / float(sys.argv[2])))
except Exception: print("-")' "$1" "$2"; }
{
    echo "# NFSv4.0 client recovery on the 3-node cluster in a box: ours vs stock"
    echo
    echo "Command: \`${CTDBPCMK_OCF_ROOT:+CTDBPCMK_OCF_ROOT=$CTDBPCMK_OCF_ROOT }tests/bench/nfs-failover.sh $config\` (part of \`make bench\`;"
    echo "NFS_ROUNDS=$rounds). Medians count only the rounds that got there (n/$rounds)."
    echo "$(date -u +%FT%TZ), $(nproc) CPUs, $(uname -r); machine load at start: \`$load_at_start\`;"
    echo "nfs-ganesha $(dpkg-query -W -f='${Version}' nfs-ganesha 2>/dev/null || echo '?'), pacemaker $(dpkg-query -W -f='${Version}' pacemaker), resource-agents $(dpkg-query -W -f='${Version}' resource-agents);"
    echo "corosync token 1000 ms, token_coefficient 0; the box's ganesha.conf (Lease_Lifetime 10, Grace_Period 20,"
    echo "RecoveryBackend fs with the RecoveryRoot on the nodes' shared directory); BOX_SAMBA=no for both sets."
    echo
    echo "Client A (ctdbpcmk-bench nfs-failover, our NFSv4.0 client in the box's client namespace) creates a"
    echo "file through VIP 1, writes it (FILE_SYNC) and write-locks bytes 0..99; then the node serving VIP 1"
    echo "loses power (\`box kill\`). Times in ms from the kill: **answered** = VIP 1 answers an RPC NULL"
    echo "again (connect attempts bounded by 300 ms, retried at once); **read** = A read its data back through"
    echo "VIP 1 after SETCLIENTID with the same id string and verifier, and either a reclaim of its open"
    echo "(CLAIM_PREVIOUS) and lock (reclaim=true) or, when the server refused the reclaim, a new open"
    echo "(CLAIM_NULL). **open**/**lock**: reclaimed/kept, or new/lost with the server's answer to the reclaim."
    echo "Before each round all three NFS-Ganesha servers run and are past their start-up grace (crm_mon"
    echo "shows the nfs clone started on n1 n2 n3, then $grace_wait s), so that only the agents put a server in grace:"
    echo "without that wait, a stock round whose taker was the node restored after the previous round"
    echo "(its ganesha started seconds before) let A reclaim, as every stock server reads the same records."
    echo "**rival lock**: whether client B, trying from the kill until 5 s after VIP 1 first answered it,"
    echo "got a write lock on the same bytes (yes@ms from the kill), or the last refusal it got"
    echo "(NFS4ERR_GRACE: new state refused during grace; NFS4ERR_DENIED: A's lock holds)."
    echo
    echo "| set | round | killed | taker | answered ms | read ms | open | lock | data | rival lock within 5 s |"
    echo "|---|---|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "| set | median answered ms | median read ms | open reclaimed | lock kept | data read back | rival got the lock |"
    echo "|---|---|---|---|---|---|---|"
    for s in $sets; do
        echo "| $s | $(stat "$s" 6) | $(stat "$s" 7) | $(count "$s" 8 '^reclaimed') | $(count "$s" 9 '^kept') | $(count "$s" 10 '^ok') | $(count "$s" 11 '^yes') |"
    done
    if [ "$sets" = "ours stock" ]; then
        a_o=$(stat ours 6 | cut -d' ' -f1); a_s=$(stat stock 6 | cut -d' ' -f1)
        r_o=$(stat ours 7 | cut -d' ' -f1); r_s=$(stat stock 7 | cut -d' ' -f1)
        echo
        echo "Ratios ours/stock of the medians: answered $(ratio "$a_o" "$a_s"), read $(ratio "$r_o" "$r_s")."
    fi
    if [ ${#notes[@]} -gt 0 ]; then
        echo
        printf -- '- %s\n' "${notes[@]}"
    fi
    echo
    echo "Sets: **ours** = ocf:ctdb:nfs (clone, node_id per node) + ocf:ctdb:vip nfs_grace=true (the taker's"
    echo "NFS-Ganesha enters grace for the moved address, \"5:IP\" over D-Bus, before the address comes up) +"
    echo "ocf:ctdb:portblock; **stock** = ocf:heartbeat:anything running \`ganesha.nfsd -F ...\` (clone) +"
    echo "ocf:heartbeat:IPaddr2 + ocf:heartbeat:portblock: nothing puts the taker in grace."
} >"$work/report.md"
if [ "$sets" = "ours stock" ]; then
    mkdir -p "$results"
    cp "$work/report.md" "$results/nfs-failover.md"
fi
cat "$work/report.md"
