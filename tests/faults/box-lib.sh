# shellcheck shell=bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Helpers of the fault scenarios on the Pacemaker box (tests/pcmk-box): links cut inside the
# nodes' network namespaces with nftables, writes with the real ctdb tool, the addresses and the
# leader as the nodes see them. Sourced by partitions.sh and hung.sh with $top set; $BOXDIR is
# the box directory of the scenario, $work a directory for the run's files.

box=$top/tests/pcmk-box/box
VIPS="192.168.78.101 192.168.78.102"
DB=faultbox.tdb

bx() { "$box" "$BOXDIR" "$@"; }
node_ip() { echo "192.168.78.1$1"; }
netns() { echo "$(cat "$BOXDIR/name")-n$1"; }
now() { echo "$EPOCHREALTIME"; }
ms_since() { python3 -c "import sys; print(round((float(sys.argv[1]) - float(sys.argv[2])) * 1000))" "$(now)" "$1"; }
log() { echo "[$(date -u +%T)] $*" >&2; }

# Brings up a box (fencing when $1 = --fencing) with the project's resources (no NFS: the
# scenarios are about the daemon, the addresses and smbd) and a persistent database on every node.
box_up() {
    bx up "$@" >&2
    BOX_NFS=no bx resources ours >&2
    bx wait-started 240 >&2
    for n in 1 2 3; do bx exec "$n" ctdb attach "$DB" persistent >/dev/null; done
}

# Node of ctdb-clone's promoted instance, as node N's crm_mon sees it (empty if none).
promoted_via() {
    local out
    out=$(bx exec "$1" timeout 20 crm_mon -1 --output-as=xml 2>/dev/null) || return 0
    python3 "$top/tests/pcmk-box/crm-state.py" promoted ctdb-clone <<<"$out" 2>/dev/null | sed -n 's/^n//p' | head -1
}

# The leader before a fault: the promoted instance as node 1..3 sees it, retried (crm_mon may be
# slow on a loaded machine); empty when none is found within 120 s.
current_leader() {
    local deadline=$((SECONDS + 120)) n l
    while [ $SECONDS -lt $deadline ]; do
        for n in 1 2 3; do
            l=$(promoted_via "$n")
            [ -n "$l" ] && { echo "$l"; return 0; }
        done
        sleep 1
    done
}

# Nodes whose eth0 carries ADDRESS (the ground truth of a VIP).
holders() {
    local n
    for n in 1 2 3; do
        ip -n "$(netns "$n")" -o addr show dev eth0 2>/dev/null | grep -q " $1/" && echo "$n"
    done
    return 0
}

# True when a new TCP connection from the client address to ADDRESS:445 is answered.
answers() { bx client timeout 2 bash -c "exec 3<>/dev/tcp/$1/445" 2>/dev/null; }

# A persistent write on node N through the real ctdb tool: true when acknowledged within T s.
write_on() {
    local n=$1 key=$2 t=${3:-10}
    bx exec "$n" timeout "$t" sh -c "printf '\"%s\" \"%s\"\n' '$key' 'v-$key' | ctdb ptrans $DB" >/dev/null 2>&1
}

# Network faults, as nftables rules in the node's own namespace (a table of this suite's own).
# isolate N: every packet between node N and the two other nodes dropped, both ways.
isolate() {
    local n=$1 others=() m
    for m in 1 2 3; do [ "$m" = "$n" ] || others+=("$(node_ip "$m")"); done
    local set
    set=$(IFS=,; echo "${others[*]}")
    ip netns exec "$(netns "$n")" nft -f - <<EOF
table inet faultbox {
    chain in { type filter hook input priority -300; policy accept; ip saddr { $set } drop; }
    chain out { type filter hook output priority -300; policy accept; ip daddr { $set } drop; }
}
EOF
}

# mute N: packets from node N to both other nodes dropped (N still hears them).
mute() {
    ip netns exec "$(netns "$1")" nft -f - <<EOF
table inet faultbox {
    chain out { type filter hook output priority -300; policy accept; ip daddr { $(node_ip $(($1 % 3 + 1))), $(node_ip $((($1 + 1) % 3 + 1))) } drop; }
}
EOF
}

# one_way N M: packets from node N to node M dropped (N still hears M).
one_way() {
    ip netns exec "$(netns "$1")" nft -f - <<EOF
table inet faultbox {
    chain out { type filter hook output priority -300; policy accept; ip daddr $(node_ip "$2") drop; }
}
EOF
}

# Removes this suite's rules from node N (nothing to do when the node was rebooted: its
# namespace, rules included, is a new one).
heal() { ip netns exec "$(netns "$1")" nft delete table inet faultbox 2>/dev/null || true; }

# Host PID of the daemon (ctdb-pcmkd) of node N.
daemon_pid() {
    local init nsp p
    init=$(cat "$BOXDIR/n$1/init.pid" 2>/dev/null) || return 0
    nsp=$(readlink "/proc/$init/ns/pid") || return 0
    for p in /proc/[0-9]*; do
        [ "$(cat "$p/comm" 2>/dev/null)" = ctdb-pcmkd ] || continue
        [ "$(readlink "$p/ns/pid" 2>/dev/null)" = "$nsp" ] && { echo "${p#/proc/}"; return 0; }
    done
}

# Every node's persistent database as "key rsn value" lines (the record header's dmaster may
# differ between nodes; the data and its rsn must not).
db_dump() {
    tdbdump "$BOXDIR/n$1/lib-ctdb/persistent/$DB.$(($1 - 1))" | python3 -c '
import re, sys
def unesc(s):
    return re.sub(rb"\\([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), s.encode())
text = sys.stdin.read()
rows = []
for k, d in re.findall(r"key\(\d+\) = \"(.*?)\"\ndata\(\d+\) = \"(.*?)\"\n", text, re.S):
    key, data = unesc(k), unesc(d)
    rsn = int.from_bytes(data[:8], "little") if len(data) >= 24 else -1
    rows.append(f"{key.hex()} {rsn} {data[24:].hex()}")
print("\n".join(sorted(rows)))'
}

# Dumps the three copies of the database into $work/db-N.txt (once; the checks below read them).
dump_dbs() { local n; for n in 1 2 3; do db_dump "$n" >"$work/db-$n.txt"; done; }

# True when the three nodes hold the same persistent data (after dump_dbs).
dbs_identical() {
    [ -s "$work/db-1.txt" ] && cmp -s "$work/db-1.txt" "$work/db-2.txt" && cmp -s "$work/db-2.txt" "$work/db-3.txt"
}

# Prints the keys of the file's lines (one key a line) that some node lacks (after dump_dbs).
missing_keys() {
    python3 - "$1" "$work"/db-[123].txt <<'PY'
import sys
keys = [k.strip() for k in open(sys.argv[1]) if k.strip()]
nodes = [{l.split()[0] for l in open(f) if l.strip()} for f in sys.argv[2:]]
for k in keys:
    if any(k.encode().hex() not in n for n in nodes):
        print(k)
PY
}

# Copies the box's logs and the run's files for a failed check.
evidence() {
    local what=$1 dest=/tmp/faultbox-evidence/$1-$(date -u +%H%M%S)
    mkdir -p "$dest"
    for n in 1 2 3; do
        mkdir -p "$dest/n$n"
        cp -r "$BOXDIR/n$n/log" "$dest/n$n/" 2>/dev/null || true
    done
    cp "$work"/*.csv "$work"/*.log "$dest/" 2>/dev/null || true
    bx status >"$dest/crm_mon.txt" 2>&1 || true
    log "evidence for $what in $dest"
}
