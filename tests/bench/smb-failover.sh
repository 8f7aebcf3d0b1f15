#!/usr/bin/env bash
# SMB client recovery on the 3-node cluster in a box (tests/pcmk-box), in one run: this project's
# agents (ocf:ctdb:samba + ocf:ctdb:vip + ocf:ctdb:portblock) against the stock way without
# systemd (lsb:smbd, Debian's init script + ocf:heartbeat:IPaddr2 + ocf:heartbeat:portblock with
# its rule pattern fixed for iptables 1.8.9), both over this project's daemon clone and with the
# same constraints. An impacket client at the client address (tests/CtdbPcmk.E2E.Tests/
# smb-session.py) holds an SMB session on VIP 1, having written a file through it. Two kinds of
# rounds, each measured from the event:
#   power   the node serving VIP 1 loses power (box kill)
#   move    VIP 1's group is moved to another node (crm_resource --move)
# drop = the client's connection ended by the cluster (RST or FIN), back = a new SMB session on
# VIP 1 (connect attempts bounded by 300 ms, retried at once), reread = the file read back;
# outage = from drop to back, what the client lives through.
# Writes tests/bench/results/smb-failover.md.
#
#   tests/bench/smb-failover.sh [CONFIG]     (root; SMB_ROUNDS=N rounds per kind and set, default 5;
#                                            SMB_SETS="ours stock" and SMB_KINDS="move power" narrow
#                                            a run, which then writes its report to stdout only)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-Release}
rounds=${SMB_ROUNDS:-5}
box=$top/tests/pcmk-box/box
work=$(mktemp -d /tmp/ctdbpcmk-smbfail.XXXXXX)
results=$top/tests/bench/results
client_py=$top/tests/CtdbPcmk.E2E.Tests/smb-session.py
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

# One command to the client; sets $answer and $at (CLOCK_REALTIME when the answer arrived).
ask() {
    echo "$1" >&"${COPROC[1]}"
    IFS= read -r -t "${2:-60}" answer <&"${COPROC[0]}" || answer="ERR no answer"
    at=$EPOCHREALTIME
}
# ms LATER EARLIER: whole milliseconds between two $EPOCHREALTIME values, in bash itself: the
# retry loop below calls it between connect attempts, and a program started there (a python
# behind a version-manager shim takes 0.35 s here) would delay the client's next attempt.
ms() { local a=${1/./} b=${2/./}; echo $(( (10#$a - 10#$b + 500) / 1000 )); }

# One round: the event is run by "$@"; prints a table row.
round() {
    local set=$1 kind=$2 r=$3 x=$4 name t0 drop dropped back reread failure
    shift 4
    name="bench-$kind-$r-$$.txt"
    coproc "$box" "$current" client /usr/bin/python3 -u "$client_py" 2>"$work/client.err"
    ask "connect $vip 10"
    [ "$answer" = OK ] || { echo "smb-failover: connect: $answer $(cat "$work/client.err")" >&2; return 1; }
    ask "write $name written before the $kind"
    [ "$answer" = OK ] || { echo "smb-failover: write: $answer" >&2; return 1; }
    # The takeover needs the connection in the cluster's copy of the list (ours: the daemon's
    # replicated tickles; stock: portblock's tickle_dir, recorded on its 2 s monitor).
    sleep 2.5
    t0=$EPOCHREALTIME
    "$@"
    ask "wait-drop 30" 40
    drop=${answer#OK }
    dropped=$at
    while :; do
        ask "connect $vip 0.3"
        [ "$answer" = OK ] && break
        [ "$(ms "$at" "$t0")" -lt 60000 ] || break
    done
    back=$at
    # The attempts were bounded by 300 ms; the read may wait for the cluster's recovery.
    ask "timeout 20"
    ask "read $name" 30
    reread=$at
    [ "$answer" = "OK written before the $kind" ] || { echo "smb-failover: read back: $answer" >&2; reread=none; failure=$(echo "${answer:0:80}" | tr '|' '/'); }
    eval "exec ${COPROC[1]}>&-"
    wait "$COPROC_PID" 2>/dev/null || true
    if [ "$reread" = none ]; then
        echo "| $set | $kind | $r | n$x | $drop $(ms "$dropped" "$t0") | $(ms "$back" "$t0") | none ($failure) | $(ms "$back" "$dropped") |"
    else
        echo "| $set | $kind | $r | n$x | $drop $(ms "$dropped" "$t0") | $(ms "$back" "$t0") | $(ms "$reread" "$t0") | $(ms "$back" "$dropped") |"
    fi
}

if [ -z "${CTDBPCMK_OCF_ROOT:-}" ]; then
    "$top/agents/install-ocf-root.sh" "$work/ocf-root" "$config" >/dev/null
fi
export BOX_OCF_ROOT=${CTDBPCMK_OCF_ROOT:-$work/ocf-root}

rows=()
sets=${SMB_SETS:-ours stock}
kinds=${SMB_KINDS:-move power}
for set in $sets; do
    current=$work/box-$set
    if [ "$set" = stock ]; then
        # resource-agents 4.12's portblock never finds its own rule with iptables 1.8.9 (it prints
        # the protocol as a number; upstream resource-agents PR #1924): the one pattern widened.
        mkdir -p "$current/ocf-extra/resource.d/heartbeat"
        sed 's/\^DROP\${w}\${1}\${w}--/^DROP${w}\\(${1}\\|6\\|17\\)${w}--/' \
            /usr/lib/ocf/resource.d/heartbeat/portblock >"$current/ocf-extra/resource.d/heartbeat/portblock"
        chmod 0755 "$current/ocf-extra/resource.d/heartbeat/portblock"
    fi
    BOX_TOKEN=1000 BOX_TOKEN_COEFF=0 "$box" "$current" up >&2
    "$box" "$current" resources "$set" >&2
    "$box" "$current" wait-started 120 >&2
    for kind in $kinds; do
        for r in $(seq "$rounds"); do
            "$box" "$current" wait-started 120 >&2
            sleep 2
            x=$(holder)
            [ "$(echo "$x" | wc -w)" = 1 ] || { echo "smb-failover: VIP on [$x]" >&2; exit 1; }
            if [ "$kind" = move ]; then
                to=$(( x % 3 + 1 ))
                row=$(round "$set" move "$r" "$x" "$box" "$current" exec "$x" crm_resource --move -r g-vip1 -N "n$to")
                "$box" "$current" exec "$x" crm_resource --clear -r g-vip1 >/dev/null 2>&1 || true
            else
                row=$(round "$set" power "$r" "$x" "$box" "$current" kill "$x")
                "$box" "$current" start "$x" >&2
            fi
            echo "$row" >&2
            rows+=("$row")
        done
    done
    "$box" "$current" down
    current=""
done

median() { sort -n | awk '{a[NR]=$1} END{if (NR==0) print "-"; else if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
col() { printf '%s\n' "${rows[@]}" | awk -F'|' -v s=" $1 " -v k=" $2 " -v c="$3" '$2==s && $3==k {gsub(/^ +| +$/,"",$c); n=split($c,w," "); if (w[1] != "ERR" && w[1] != "none") print w[n]}'; }
stat() { local v; v=$(col "$1" "$2" "$3" | grep '^[0-9]*$' || true); echo "$(echo "$v" | median) ($(echo "$v" | grep -c . || true)/$rounds)"; }
mkdir -p "$results"
{
    echo "# SMB client recovery on the 3-node cluster in a box: ours vs the stock agents"
    echo
    echo "Command: \`${CTDBPCMK_OCF_ROOT:+CTDBPCMK_OCF_ROOT=$CTDBPCMK_OCF_ROOT }tests/bench/smb-failover.sh $config\` (part of \`make bench\`, which"
    echo "publishes the OCF root from the tree; SMB_ROUNDS=$rounds). Medians count only the rounds that got there (n/$rounds)."
    echo "$(date -u +%FT%TZ), $(nproc) CPUs, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg);"
    echo "samba $(dpkg-query -W -f='${Version}' samba), pacemaker $(dpkg-query -W -f='${Version}' pacemaker), resource-agents $(dpkg-query -W -f='${Version}' resource-agents);"
    echo "corosync token 1000 ms, token_coefficient 0; the same box layout, daemon clone and constraints for both sets."
    echo
    echo "An impacket SMB client at the client address holds a session on VIP 1 after writing a file"
    echo "through it. **move**: \`crm_resource --move\` of VIP 1's group to another node; **power**: the node"
    echo "serving VIP 1 loses power (\`box kill\`). Times in ms from the event: **drop** = the cluster ended"
    echo "the client's connection (reset = RST, closed = FIN; \"ERR timeout\" = not within 30 s); **back** = a"
    echo "new SMB session on VIP 1 (connect attempts bounded by 300 ms, retried at once); **reread** = the"
    echo "file read back through it; **outage** = drop to back, the time the client has no session."
    echo
    echo "| agents | kind | round | node | drop ms | back ms | reread ms | outage ms |"
    echo "|---|---|---|---|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    echo
    echo "| agents | kind | median drop ms | median back ms | median reread ms | median outage ms |"
    echo "|---|---|---|---|---|---|"
    for s in ours stock; do
        for k in move power; do
            echo "| $s | $k | $(stat $s $k 6) | $(stat $s $k 7) | $(stat $s $k 8) | $(stat $s $k 9) |"
        done
    done
    echo
    echo "Sets: **ours** = ocf:ctdb:samba + ocf:ctdb:vip + ocf:ctdb:portblock (tickles from the daemon's"
    echo "replicated list); **stock** = lsb:smbd (Debian's /etc/init.d/smbd; systemd:smb needs systemd) +"
    echo "ocf:heartbeat:IPaddr2 + ocf:heartbeat:portblock (tickle_dir, rule pattern widened for iptables 1.8.9)."
} >"$work/report.md"
if [ "$sets" = "ours stock" ] && [ "$kinds" = "move power" ]; then
    cp "$work/report.md" "$results/smb-failover.md"
fi
cat "$work/report.md"
