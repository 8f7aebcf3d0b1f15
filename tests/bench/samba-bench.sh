#!/usr/bin/env bash
# Samba monitor benchmark: the cost of one health check of a clustered smbd, three ways, in one
# run inside a throw-away network namespace (port 445 free, nothing else listening):
#   ocf:ctdb:samba monitor      /proc + SMB2 NEGOTIATE, no subprocess
#   smbclient -N -L //127.0.0.1 the simplest deep check an admin would script
#   ocf:heartbeat:CTDB monitor  resource-agents' CTDB agent ("ctdb status" through its shell)
# For each: median wall time of interleaved runs (the three commands take turns, so load on the
# shared host hits all alike), processes created and threads started (strace -f of
# clone/clone3/fork/vfork, with and without CLONE_THREAD), and peak RSS (GNU time %M: the
# largest of the processes it waited for). Writes tests/bench/results/samba.md.
#
#   tests/bench/samba-bench.sh [CONFIG]        (root; SAMBA_BENCH_RUNS=N, default 40)
#
# ctdb-pcmkd is started and promoted through ocf:ctdb:ctdbd on a private socket; smbd 4.17 runs
# with clustering = yes against it through ocf:ctdb:samba. ocf:heartbeat:CTDB only runs
# "ctdb status" in monitor, which works against ctdb-pcmkd (CTDB_SOCKET names the socket; the
# ctdb tool of 4.17 takes it from there). With Debian's own ctdbd instead, "ctdb status" also
# waits for the leader's once-a-second broadcast (0.5 s on average, see
# shared/reference/ctdb-baseline.md); that wait is not in these numbers.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-Release}
if [ "${2:-}" != --inner ]; then
    root=${CTDBPCMK_OCF_ROOT:-$top/artifacts/ocf-root}
    if [ -z "${CTDBPCMK_OCF_ROOT:-}" ]; then
        "$top/agents/install-ocf-root.sh" "$root" "$config" >/dev/null
    fi
    ns="ctdbpcmk-sambabench-$$-$RANDOM"
    ip netns add "$ns"
    trap 'ip netns del "$ns"' EXIT
    mkdir -p "$top/tests/bench/results"
    CTDBPCMK_OCF_ROOT=$root ip netns exec "$ns" "$0" "$config" --inner > "$top/tests/bench/results/samba.md.new"
    mv "$top/tests/bench/results/samba.md.new" "$top/tests/bench/results/samba.md"
    cat "$top/tests/bench/results/samba.md"
    exit 0
fi

# --- inside the namespace from here on ---
runs=${SAMBA_BENCH_RUNS:-40}
ours=$CTDBPCMK_OCF_ROOT
work=$(mktemp -d /tmp/samba-bench.XXXXXX)
chmod 755 "$work"
ip link set lo up
export OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 OCF_RESKEY_CRM_meta_timeout=20000

# The daemon, through its own agent.
printf '127.0.0.1\n' > "$work/nodes"
ctdb_env=(OCF_ROOT="$ours" OCF_RESKEY_ctdb_nodes_file="$work/nodes" OCF_RESKEY_ctdb_port=4379
    OCF_RESKEY_ctdb_socket="$work/ctdb/ctdbd.socket" OCF_RESKEY_ctdb_rundir="$work/ctdb"
    OCF_RESKEY_ctdb_dbdir="$work/ctdb/db" OCF_RESKEY_ctdb_logfile="$work/ctdb/log")
samba_env=(OCF_ROOT="$ours" HA_RSCTMP="$work/rsctmp" OCF_RESKEY_config="$work/smb/smb.conf"
    OCF_RESKEY_ctdb_socket="$work/ctdb/ctdbd.socket")
cleanup() {
    env "${samba_env[@]}" "$ours/resource.d/ctdb/samba" stop >/dev/null 2>&1 || true
    env "${ctdb_env[@]}" "$ours/resource.d/ctdb/ctdbd" stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
# must CMD...: run quietly; on failure show its output and give up.
must() {
    "$@" >"$work/out" 2>&1 || { echo "failed: $*" >&2; cat "$work/out" >&2; exit 1; }
}
must env "${ctdb_env[@]}" "$ours/resource.d/ctdb/ctdbd" start
must env "${ctdb_env[@]}" "$ours/resource.d/ctdb/ctdbd" promote

# smb.conf: every path under the work directory, one guest share, SMB on 127.0.0.1:445.
s=$work/smb
mkdir -p "$s/share" "$s/private" "$s/lock" "$s/state" "$s/cache" "$s/pid" "$s/ncalrpc" "$s/binddns" "$s/log" "$s/wb"
cat > "$s/smb.conf" <<EOC
[global]
	clustering = yes
	ctdbd socket = $work/ctdb/ctdbd.socket
	netbios name = BENCH
	workgroup = BENCHWG
	security = user
	map to guest = Bad User
	guest account = nobody
	private dir = $s/private
	lock directory = $s/lock
	state directory = $s/state
	cache directory = $s/cache
	pid directory = $s/pid
	ncalrpc dir = $s/ncalrpc
	binddns dir = $s/binddns
	winbindd socket directory = $s/wb
	log file = $s/log/log.%m
	interfaces = lo
	smb ports = 445
	disable netbios = yes
	load printers = no
	printing = bsd
	printcap name = /dev/null
	disable spoolss = yes
[share]
	path = $s/share
	guest ok = yes
	read only = no
EOC
must env "${samba_env[@]}" "$ours/resource.d/ctdb/samba" start

# The three checks, each a plain argv (no shell of ours around them).
ours_cmd=(env OCF_RESOURCE_INSTANCE=samba "${samba_env[@]}" "$ours/resource.d/ctdb/samba" monitor)
floor_cmd=(env OCF_RESOURCE_INSTANCE=samba "$ours/resource.d/ctdb/samba" meta-data)
smbclient_cmd=(smbclient -N -L //127.0.0.1)
ctdb_ra_cmd=(env OCF_ROOT=/usr/lib/ocf OCF_RESOURCE_INSTANCE=ctdb CTDB_SOCKET="$work/ctdb/ctdbd.socket"
    OCF_RESKEY_ctdb_socket="$work/ctdb/ctdbd.socket" /usr/lib/ocf/resource.d/heartbeat/CTDB monitor)
for c in ours floor smbclient ctdb_ra; do
    declare -n cmd="${c}_cmd"
    "${cmd[@]}" >/dev/null 2>&1 || { echo "$c check failed: ${cmd[*]}" >&2; "${cmd[@]}" >&2 || true; exit 1; }
done

# median_ms: interleaved runs, wall time from fork to exit (python's clock around
# subprocess.run; the same overhead for every command).
python3 - "$runs" "$work/times" <<'EOP' \
    "${ours_cmd[*]}" "${floor_cmd[*]}" "${smbclient_cmd[*]}" "${ctdb_ra_cmd[*]}"
import subprocess, sys, time, statistics, shlex
runs, out, *cmds = sys.argv[1:]
argvs = [shlex.split(c) for c in cmds]
times = [[] for _ in argvs]
for i in range(int(runs) + 3):
    for k, argv in enumerate(argvs):
        t0 = time.perf_counter_ns()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        if i >= 3:   # warm-up rounds
            times[k].append((time.perf_counter_ns() - t0) / 1e6)
with open(out, "w") as f:
    for t in times:
        f.write("%.1f %.1f %.1f\n" % (statistics.median(t), min(t), max(t)))
EOP

# spawned CMD...: "processes threads" created by one run (the command itself not counted).
spawned() {
    strace -f -qq -e trace=clone,clone3,fork,vfork -e signal=none -o "$work/trace" "$@" >/dev/null 2>&1 || true
    local procs threads
    threads=$(grep -E 'clone3?\(.*CLONE_THREAD' "$work/trace" | grep -vc 'resumed' || true)
    procs=$(grep -E '(clone3?|v?fork)\(' "$work/trace" | grep -v 'CLONE_THREAD' | grep -vc 'resumed' || true)
    echo "$procs $threads"
}
peak_kb() {
    /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
    tail -n 1 "$work/rss"
}

row() {
    local label=$1 line=$2; shift 2
    read -r med lo hi < <(sed -n "${line}p" "$work/times")
    read -r procs threads < <(spawned "$@")
    echo "| $label | $med | $lo – $hi | $procs | $threads | $(peak_kb "$@") |"
}

echo "# Samba health check: ocf:ctdb:samba monitor vs smbclient vs ocf:heartbeat:CTDB monitor"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg);" \
    "smbd $(smbd --version | sed 's/Version //'), resource-agents $(dpkg-query -W -f '${Version}' resource-agents 2>/dev/null || echo '?')."
echo "Command: \`tests/bench/samba-bench.sh $config\` (root; $runs interleaved runs after 3 warm-up rounds)."
echo
echo "| check | median ms | min – max ms | processes created | threads started | peak RSS KB |"
echo "|---|---:|---:|---:|---:|---:|"
row "ocf:ctdb:samba monitor (Native AOT)" 1 "${ours_cmd[@]}"
row "ocf:ctdb:samba meta-data (the agent's start-up alone)" 2 "${floor_cmd[@]}"
row "smbclient -N -L //127.0.0.1" 3 "${smbclient_cmd[@]}"
row "ocf:heartbeat:CTDB monitor (ctdb status)" 4 "${ctdb_ra_cmd[@]}"
echo
echo "What each one checks: ocf:ctdb:samba monitor reads the recorded PIDs and start times in"
echo "/proc (a stopped or exited smbd fails at once), sends an SMB2 NEGOTIATE to 127.0.0.1:445 and"
echo "reads the answer's status and dialect. smbclient -L negotiates, sets up an anonymous session"
echo "and lists the shares over DCE/RPC (srvsvc; smbd may start samba-dcerpcd on demand for it)."
echo "ocf:heartbeat:CTDB monitor checks only the database daemon (\"ctdb status\" and grep), not"
echo "smbd; in resource-agents smbd is then managed by CTDB's event scripts or by a separate"
echo "systemd resource. The env(1) in front of the agents is exec'd, not forked: it is not counted."
echo "The difference between the monitor and meta-data rows is the check itself, mostly smbd's"
echo "work: its parent forks a child for every connection, and the child answers the NEGOTIATE."
