# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Hung nodes: a daemon stopped with SIGSTOP (by its PID), every other process of its node alive.
# Sourced by box-faults.sh (box-lib.sh and partitions.sh first).
#
#   hung_round WHO ROUND       ours, on the box: WHO = leader (the promoted instance's daemon) or
#                              other (a daemon that is not the leader). Measured from SIGSTOP until
#                              the cluster serves again: a leader promoted that is not the hung
#                              daemon (another node's, or its node's restarted daemon; WHO = leader), `ctdb status` on a survivor in recovery mode NORMAL under
#                              that leader, both addresses answering TCP from the client, and a
#                              persistent write on a survivor acknowledged (ctdb ptrans). Then
#                              SIGCONT (if the process is still there) and the cluster whole again.
#   hung_ctdbd_round ROUND     the real ctdbd 4.17 (tests/local-daemons, 3 nodes, its cluster lock):
#                              its leader stopped with SIGSTOP; measured until `ctdb status` on a
#                              survivor shows recovery mode NORMAL under another leader and a
#                              persistent write there is acknowledged, capped at HUNG_CAP seconds.

HUNG_CAP=${HUNG_CAP:-300}

# The configured timeouts (ms) the recovery from a hung daemon is bounded by, from the live CIB:
# "NAME=VALUE ..." for the ctdb clone's promoted/unpromoted monitors, demote, stop, promote, the
# address groups' starts, and stonith-timeout.
configured_timeouts() {
    bx exec 1 cibadmin -Q 2>/dev/null | python3 -c '
import sys, re, xml.etree.ElementTree as E
root = E.fromstring(sys.stdin.read())
def ms(v, default):
    if not v:
        return default
    m = re.fullmatch(r"(\d+)\s*(ms|s|m|min|h)?", v.strip())
    n, u = int(m.group(1)), m.group(2) or "s"
    return n * {"ms": 1, "s": 1000, "m": 60000, "min": 60000, "h": 3600000}[u]
out = {}
for p in root.iter("primitive"):
    rid = p.get("id")
    for op in p.iter("op"):
        name, role = op.get("name"), op.get("role") or ""
        key = f"{rid}.{name}" + (f".{role}" if name == "monitor" and role else "")
        out[key + ".timeout"] = ms(op.get("timeout"), 20000)
        if name == "monitor":
            out[key + ".interval"] = ms(op.get("interval"), 0)
st = [n.get("value") for n in root.iter("nvpair") if n.get("name") == "stonith-timeout"]
out["stonith-timeout"] = ms(st[0] if st else None, 60000)
print(" ".join(f"{k}={v}" for k, v in sorted(out.items())))'
}

# The bound (ms) on serving again after a hung daemon, from the configured timeouts: the failed
# monitor (its interval and timeout), the demote (leader only), the stop, fencing when the stop
# fails, the promote of another instance (leader only), and the restart of an address group
# (address and unblock starts).
hung_bound() {
    local who=$1 t
    t=$(configured_timeouts)
    python3 - "$who" "$t" <<'EOF'
import sys
who, kv = sys.argv[1], dict(x.split("=") for x in sys.argv[2].split())
g = lambda k, d=20000: int(kv.get(k, d))
role = "Promoted" if who == "leader" else "Unpromoted"
b = g(f"ctdb.monitor.{role}.interval", 5000) + g(f"ctdb.monitor.{role}.timeout")
if who == "leader":
    b += g("ctdb.demote.timeout") + g("ctdb.promote.timeout")
b += g("ctdb.stop.timeout") + g("stonith-timeout", 60000)
b += g("vip1.start.timeout") + g("vip1-unblock.start.timeout")
print(b)
EOF
}

hung_round() {
    local who=$1 round=$2 tag leader x s pid t0 t_promoted="" t_recovered="" t_vips="" t_write="" ok=yes
    tag=hung-$who-$round
    wait_whole 300 || { log "$tag: cluster not whole before the round"; evidence "$tag-before"; echo "| ours | $who | $round | cluster not whole before the round |"; return 1; }
    wait_daemons_settled 120 || log "$tag: daemons not settled before the round"
    leader=$(current_leader)
    [ -n "$leader" ] || { log "$tag: no promoted instance"; evidence "$tag-before"; echo "| ours | $who | $round | no promoted instance before the round |"; return 1; }
    if [ "$who" = leader ]; then x=$leader; else x=$(((leader % 3) + 1)); fi
    s=$(((x % 3) + 1))
    [ "$s" = "$leader" ] && [ "$who" = other ] && s=$(((s % 3) + 1))
    pid=$(daemon_pid "$x")
    [ -n "$pid" ] || { log "$tag: no daemon on n$x"; echo "| ours | $who | $round | no daemon on n$x |"; return 1; }
    local fenced_before
    fenced_before=$(fenced_count "$x" "$s")
    t0=$(now)
    kill -STOP "$pid"
    log "$tag: SIGSTOP ctdb-pcmkd pid $pid on n$x (leader n$leader), survivor n$s"
    local deadline=$((SECONDS + HUNG_CAP)) p st v vips
    while [ $SECONDS -lt $deadline ]; do
        p=$(promoted_via "$s")
        # A leader that is not the hung daemon: another node's, or its node's restarted daemon.
        if [ -z "$t_promoted" ] && [ -n "$p" ] && { [ "$who" = other ] || [ "$p" != "$x" ] || [ "$(daemon_pid "$x")" != "$pid" ]; }; then
            t_promoted=$(ms_since "$t0")
        fi
        if [ -n "$t_promoted" ] && [ -n "$p" ]; then
            st=$(bx exec "$s" timeout 5 ctdb status 2>/dev/null || true)
            if grep -q '^Recovery mode:NORMAL' <<<"$st" && grep -q "^Leader:$((p - 1))\$" <<<"$st"; then
                [ -n "$t_recovered" ] || t_recovered=$(ms_since "$t0")
            else
                t_recovered=""
            fi
        fi
        vips=yes
        for v in $VIPS; do
            [ "$(holders "$v" | wc -w)" = 1 ] && answers "$v" || vips=no
        done
        if [ $vips = yes ]; then [ -n "$t_vips" ] || t_vips=$(ms_since "$t0"); else t_vips=""; fi
        if [ -n "$t_recovered" ] && [ -n "$t_vips" ] && write_on "$s" "$tag-$(date +%s%N)" 10; then
            t_write=$(ms_since "$t0")
            break
        fi
        sleep 0.3
    done
    local bound fenced
    bound=$(hung_bound "$who")
    [ -d "/proc/$pid" ] && kill -CONT "$pid" 2>/dev/null
    fenced=$(($(fenced_count "$x" "$s") - fenced_before))
    local t_cont
    t_cont=$(now)
    bx exec "$s" crm_resource --cleanup >/dev/null 2>&1 || true
    local whole
    if wait_whole 600 && wait_daemons_settled 180; then whole=$(ms_since "$t_cont"); else whole=none; ok=no; fi
    dump_dbs
    dbs_identical || { ok=no; log "$tag: persistent data differs between the nodes"; }
    [ -n "$t_write" ] && [ "$t_write" -le "$bound" ] || ok=no
    local leaders
    leaders=$(python3 "$top/tests/faults/leader-watch.py" check "$work/leaders.csv" "$(python3 -c "print($t0 - 5)")" "$(now)") || ok=no
    log "$tag: $leaders"
    [ $ok = yes ] || evidence "$tag"
    local what="restarted"
    [ "$fenced" -gt 0 ] && what="fenced ×$fenced"
    [ -d "/proc/$pid" ] && what="kept (SIGCONT)"
    echo "| ours | $who | $round | n$x | ${t_promoted:-none} | ${t_recovered:-none} | ${t_vips:-none} | ${t_write:-"> $HUNG_CAP s"} | $bound | $what | $whole | $(sed -n 's/.*two-leaders-same-generation=\([0-9]*\).*/\1/p' <<<"$leaders") | $ok |"
}

# The real ctdbd 4.17 on tests/local-daemons: one fresh 3-node cluster per round.
hung_ctdbd_round() {
    local round=$1 ld=$top/tests/local-daemons d=$CTDBD_DIR leader pid s t0 t_recovered="" t_write="" st ok=yes
    "$ld" "$d" teardown >/dev/null 2>&1 || true
    rm -rf "$d"
    "$ld" "$d" setup 3 --impl ctdb >/dev/null || { echo "| ctdbd 4.17 | leader | $round | setup failed |"; return 1; }
    "$ld" "$d" start all >/dev/null || { echo "| ctdbd 4.17 | leader | $round | start failed |"; "$ld" "$d" teardown >/dev/null 2>&1; return 1; }
    for _ in $(seq 120); do
        leader=$("$ld" "$d" ctdb 0 leader 2>/dev/null)
        [[ $leader =~ ^[0-9]+$ ]] && "$ld" "$d" ctdb 0 status 2>/dev/null | grep -q '^Recovery mode:NORMAL' && break
        sleep 1
    done
    for n in 0 1 2; do "$ld" "$d" ctdb "$n" attach "$DB" persistent >/dev/null 2>&1; done
    s=$(((leader + 1) % 3))
    pid=$("$ld" "$d" pid "$leader")
    printf '"k0" "v0"\n' | timeout 20 "$ld" "$d" ctdb "$s" ptrans "$DB" >/dev/null 2>&1 || log "ctdbd round $round: a write before the fault failed"
    t0=$(now)
    kill -STOP "$pid"
    log "ctdbd-$round: SIGSTOP ctdbd pid $pid (leader pnn $leader), survivor pnn $s"
    local deadline=$((SECONDS + HUNG_CAP))
    while [ $SECONDS -lt $deadline ]; do
        st=$(timeout 5 "$ld" "$d" ctdb "$s" status 2>/dev/null || true)
        if grep -q '^Recovery mode:NORMAL' <<<"$st" && grep -q '^Leader:[0-9]' <<<"$st" && ! grep -q "^Leader:$leader\$" <<<"$st"; then
            [ -n "$t_recovered" ] || t_recovered=$(ms_since "$t0")
            if printf '"k%s" "v"\n' "$(date +%s%N)" | timeout 10 "$ld" "$d" ctdb "$s" ptrans "$DB" >/dev/null 2>&1; then
                t_write=$(ms_since "$t0")
                break
            fi
        else
            t_recovered=""
        fi
        sleep 0.5
    done
    [ -n "$t_write" ] || { ok=no; mkdir -p /tmp/faultbox-evidence/ctdbd-$round; cp "$d"/node.*/log /tmp/faultbox-evidence/ctdbd-$round/ 2>/dev/null || true
        for n in 0 1 2; do cp "$d/node.$n/log" "/tmp/faultbox-evidence/ctdbd-$round/log.$n" 2>/dev/null || true; done; }
    kill -CONT "$pid" 2>/dev/null || true
    "$ld" "$d" teardown >/dev/null 2>&1 || true
    rm -rf "$d"
    # Not a check of ours: ctdbd staying stuck is a finding, reported as such.
    [ $ok = yes ] || ok=stuck
    echo "| ctdbd 4.17 | leader | $round | pnn $leader | - | ${t_recovered:-none} | - | ${t_write:-"> $HUNG_CAP s"} | - | - | - | - | $ok |"
}
