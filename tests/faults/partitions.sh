# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Partition scenarios on the Pacemaker box, with every process alive: the links of one node cut
# by nftables rules in its namespace. Sourced by box-faults.sh (box-lib.sh first).
#
#   partition_round KIND ROUND FENCING
#     KIND  isolate-leader  the node of the promoted daemon loses both other nodes (both ways)
#           isolate-other   a node that is not the leader, holding an address when one does
#           one-way         packets from the leader to both other nodes dropped; it still hears them
#           one-link        packets from the leader to one other node dropped, nothing else: a
#                           cut that is not transitive (the third node still talks to both), which
#                           Corosync's membership is not built for (README); its rounds check
#                           that nothing is lost and no generation has two leaders, and record
#                           whether the cluster was served
# During the fault every node writes to a persistent database once a second (ctdb ptrans); the
# leader watch (leader-watch.py) samples all nodes for the whole run. Measured from the cut:
#   novip      the cut-off node holds no address (every kind but one-link)
#   serving    both addresses answer TCP on other nodes and a write started after the cut was
#              acknowledged on one of them (one-link: on any node, and started 10 s or more after
#              the cut, once Corosync has had the time to act on it)
# Checked: no write started on the cut-off node after the cut is acknowledged and the others serve
# (every kind but one-link), with fencing the cut-off node is fenced (stonith history), after
# healing the three nodes are back with every resource started, every acknowledged write is on
# every node and the three copies of the database are identical. One result row per round on stdout.

FAULT_SECONDS=${FAULT_SECONDS:-40}

write_loop() {
    local n=$1 tag=$2 i=0 s rc
    while [ ! -e "$work/stop-writes" ]; do
        s=$(now)
        if write_on "$n" "$tag-n$n-$i" 8; then rc=0; else rc=1; fi
        echo "$s $(now) $n $tag-n$n-$i $rc" >>"$work/writes.log"
        i=$((i + 1))
        sleep 0.7
    done
}

# Successful fencings of node N (stonith history seen from node M).
fenced_count() {
    bx exec "$2" timeout 10 stonith_admin --history "n$1" --output-as=xml 2>/dev/null |
        python3 -c 'import sys, xml.etree.ElementTree as E
r = E.fromstring(sys.stdin.read() or "<x/>")
print(sum(1 for e in r.iter("fence_event") if e.get("target") == sys.argv[1] and e.get("status") == "success"))' "n$1" 2>/dev/null || echo 0
}

wait_whole() {
    local deadline=$((SECONDS + ${1:-300})) n
    while [ $SECONDS -lt $deadline ]; do
        n=$(bx pids | awk 'NF == 2' | wc -l)
        if [ "$n" = 3 ] && bx wait-started 5 >/dev/null 2>&1; then
            for m in 1 2 3; do
                bx exec "$m" timeout 5 crm_mon -1 2>/dev/null | grep -q 'Online: \[ n1 n2 n3 \]' || continue 2
            done
            return 0
        fi
        sleep 1
    done
    return 1
}

# Every daemon recovered under one leader in one generation.
wait_daemons_settled() {
    local deadline=$((SECONDS + ${1:-120}))
    while [ $SECONDS -lt $deadline ]; do
        python3 "$top/tests/faults/leader-watch.py" settled "$BOXDIR" >/dev/null && return 0
        sleep 1
    done
    return 1
}

partition_round() {
    local kind=$1 round=$2 fencing=$3 tag x y="" leader t_cut t_novip="" t_serving="" t_whole="" v ok
    tag=$kind-$round
    wait_whole 300 || { log "$tag: cluster not whole before the round"; evidence "$tag-before"; echo "| $kind | $round | - | cluster not whole before the round |"; return 1; }
    wait_daemons_settled 120 || log "$tag: daemons not settled before the round"
    leader=$(current_leader)
    [ -n "$leader" ] || { log "$tag: no promoted instance"; evidence "$tag-before"; echo "| $kind | $round | - | no promoted instance before the round |"; return 1; }
    case $kind in
    isolate-leader) x=$leader ;;
    isolate-other)
        x=""
        for v in $VIPS; do
            h=$(holders "$v")
            [ -n "$h" ] && [ "$h" != "$leader" ] && { x=$h; break; }
        done
        [ -n "$x" ] || x=$(((leader % 3) + 1))
        ;;
    one-way) x=$leader ;;
    one-link)
        x=$leader
        y=$(((leader % 3) + 1))
        ;;
    esac
    local fenced_before=0 fenced_before_y=0 watcher
    watcher=$(((x % 3) + 1))
    [ "$watcher" = "${y:-}" ] && watcher=$(((watcher % 3) + 1))
    if [ "$fencing" = yes ]; then
        fenced_before=$(fenced_count "$x" "$watcher")
        [ -n "${y:-}" ] && fenced_before_y=$(fenced_count "$y" "$watcher")
    fi
    local init_before t_reboot=""
    init_before=$(cat "$BOXDIR/n$x/init.pid" 2>/dev/null)
    rm -f "$work/stop-writes" "$work/writes.log"
    local pids=()
    for n in 1 2 3; do write_loop "$n" "$tag" & pids+=($!); done
    sleep 3
    t_cut=$(now)
    case $kind in
    one-way) mute "$x" ;;
    one-link) one_way "$x" "$y" ;;
    *) isolate "$x" ;;
    esac
    log "$tag: cut n$x${y:+ -> n$y} (leader n$leader)"
    local deadline=$((SECONDS + FAULT_SECONDS)) maj_ok vip_on_x
    while [ $SECONDS -lt $deadline ]; do
        # Fenced and booted again: a new node from then on (its new namespace has no rules).
        [ -z "$t_reboot" ] && [ "$(cat "$BOXDIR/n$x/init.pid" 2>/dev/null)" != "$init_before" ] && t_reboot=$(now)
        vip_on_x=no
        for v in $VIPS; do holders "$v" | grep -qx "$x" && vip_on_x=yes; done
        if [ "$kind" != one-link ] && [ -z "$t_novip" ] && [ $vip_on_x = no ]; then t_novip=$(ms_since "$t_cut"); fi
        if [ -z "$t_serving" ]; then
            maj_ok=yes
            for v in $VIPS; do
                h=$(holders "$v")
                [ "$(wc -w <<<"$h")" = 1 ] || maj_ok=no
                [ "$kind" != one-link ] && [ "$h" = "$x" ] && maj_ok=no
                answers "$v" || maj_ok=no
            done
            if [ $maj_ok = yes ] && awk -v t="$t_cut" -v x="$x" -v k="$kind" '$5 == 0 && (k == "one-link" ? $1 > t + 10 : $1 > t && $3 != x) { f = 1 } END { exit !f }' "$work/writes.log" 2>/dev/null; then
                t_serving=$(ms_since "$t_cut")
            fi
        fi
        [ -n "$t_serving" ] && [ $SECONDS -ge $((deadline - FAULT_SECONDS / 2)) ] && break
        sleep 0.5
    done
    local fenced="-"
    if [ "$fencing" = yes ]; then
        # The fence device reboots a cut-off node: wait (up to 120 s) for the fencing to be
        # recorded. The box's reboot of the node (a new namespace and init) counts as its
        # fencing too: the fencers' history is kept in memory and can lose events when nodes
        # reboot. A cut of one link need not split the membership: its fencings are only counted.
        local fence_deadline=$((SECONDS + 120))
        while :; do
            fenced=$(( $(fenced_count "$x" "$watcher") - fenced_before ))
            [ "$(cat "$BOXDIR/n$x/init.pid" 2>/dev/null)" != "$init_before" ] && [ "$fenced" -lt 1 ] && fenced=1
            [ "$kind" = one-link ] && fenced=$(( fenced + $(fenced_count "$y" "$watcher") - fenced_before_y ))
            [ "$fenced" -gt 0 ] || [ "$kind" = one-link ] || [ $SECONDS -ge $fence_deadline ] && break
            sleep 1
        done
    fi
    [ -z "$t_reboot" ] && [ "$(cat "$BOXDIR/n$x/init.pid" 2>/dev/null)" != "$init_before" ] && t_reboot=$(now)
    local t_uncut
    t_uncut=$(now)
    heal "$x"
    touch "$work/stop-writes"
    wait "${pids[@]}" 2>/dev/null || true
    local t_heal
    t_heal=$(now)
    ok=yes
    wait_whole 600 && t_whole=$(ms_since "$t_heal") || { ok=no; t_whole="none"; }
    wait_daemons_settled 180 || { ok=no; log "$tag: daemons did not settle after healing"; }
    # Writes started on the cut-off node after the cut (and before it was fenced and booted
    # again, or the cut removed) and acknowledged while it was still cut off = served by a
    # minority. One that waited through the partition and was acknowledged after healing, by
    # the whole cluster, is counted apart ("+N after healing").
    local minority_acks minority_tries minority_later acked lost=0 identical=yes
    read -r minority_tries minority_acks minority_later < <(awk -v t="$t_cut" -v h="${t_reboot:-$t_uncut}" -v x="$x" '$3 == x && $1 > t && $1 < h { n++; if ($5 == 0 && $2 < h) a++; else if ($5 == 0) l++ } END { print n + 0, a + 0, l + 0 }' "$work/writes.log")
    acked=$(awk '$5 == 0' "$work/writes.log" | wc -l)
    dump_dbs
    awk '$5 == 0 { print $4 }' "$work/writes.log" >"$work/acked.txt"
    missing_keys "$work/acked.txt" >"$work/missing.txt"
    lost=$(wc -l <"$work/missing.txt")
    [ "$lost" = 0 ] || log "$tag: acknowledged writes missing on a node: $(tr '\n' ' ' <"$work/missing.txt")"
    dbs_identical || { identical=no; ok=no; }
    [ "$lost" = 0 ] || ok=no
    if [ "$kind" != one-link ]; then
        [ "$minority_acks" = 0 ] || ok=no
        [ -n "$t_novip" ] || ok=no
    fi
    [ -n "$t_serving" ] || [ "$kind" = one-link ] || ok=no
    [ "$fencing" = yes ] && [ "$kind" != one-link ] && { [ "$fenced" -gt 0 ] || ok=no; }
    local leaders
    leaders=$(python3 "$top/tests/faults/leader-watch.py" check "$work/leaders.csv" "$(python3 -c "print($t_cut - 5)")" "$(now)") || ok=no
    log "$tag: $leaders"
    cat "$work/writes.log" >>"$work/writes-all.log"
    [ $ok = yes ] && [ "${FAULTBOX_EVIDENCE:-failed}" != all ] || evidence "$tag"
    echo "| $kind | $round | n$leader | n$x${y:+→n$y} | ${t_novip:-none} | ${t_serving:-none} | $minority_acks/$minority_tries$([ "$minority_later" = 0 ] || echo " (+$minority_later after healing)") | $acked | $lost | $fenced | $t_whole | $identical | $(sed -n 's/.*two-leaders-same-generation=\([0-9]*\).*/\1/p' <<<"$leaders") | $ok |"
}
