#!/usr/bin/env bash
# Samba monitor benchmark: the monitor of ocf:ctdb:samba beside the stock ways of checking a
# clustered Samba node, on the same clustered smbd, in one run inside a throw-away network
# namespace: median latency, processes forked and exec'd, peak RSS, and the ratios.
# Writes tests/bench/results/samba.md.
#
#   tests/bench/samba-bench.sh [CONFIG]     (root; SAMBA_BENCH_RUNS=N, default 30, at least 20,
#                                            in SAMBA_BENCH_ROUNDS=R rounds, default 3)
#
# The checks:
#   ours      ocf:ctdb:samba monitor (its start launches smbd against ctdb-pcmkd's socket)
#   smbclient smbclient -N -L //127.0.0.1 (negotiate, anonymous session, share list over srvsvc)
#   CTDB RA   ocf:heartbeat:CTDB monitor against a one-node Debian ctdbd 4.17
# Inside the namespace run ctdb-pcmkd (--leader, node 127.0.0.1, private socket), the real ctdbd
# (test mode, node 127.0.0.2, its own socket) and smbd (clustering = yes, on ctdb-pcmkd's
# socket), every path in one temp directory. CTDBPCMK_OCF_ROOT selects the agents (else they are
# published from this tree); CTDBPCMK_DAEMON selects the daemon binary. When the OCF root has no
# samba agent, smbd is started by hand and the ours row says why it is missing.
# CTDBPCMK_OCF_ROOT_FROM (free text, e.g. a branch and commit) is printed beside the agent.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-Release}
if [ "${2:-}" != --inner ]; then
    [ "$(id -u)" = 0 ] || { echo "samba-bench: run as root" >&2; exit 1; }
    root=${CTDBPCMK_OCF_ROOT:-$top/artifacts/ocf-root}
    if [ -z "${CTDBPCMK_OCF_ROOT:-}" ]; then
        "$top/agents/install-ocf-root.sh" "$root" "$config" >/dev/null
    fi
    daemon=${CTDBPCMK_DAEMON:-$top/daemon/CtdbPcmk.Daemon/bin/$config/net10.0/ctdb-pcmkd}
    [ -x "$daemon" ] || { echo "samba-bench: daemon not built: $daemon (make build, or set CTDBPCMK_DAEMON)" >&2; exit 1; }
    # The start-up floor: an empty C program and an empty Native AOT program built like the agents.
    floor=$(mktemp -d)
    ns="ctdbpcmk-sbench-$$-$RANDOM"
    # Anything still in the namespace when the run ends was started by it (smbd's on-demand
    # RPC helpers, say): end it before the namespace goes.
    end_ns() {
        local pids p i
        pids=$(ip netns pids "$ns" 2>/dev/null) || pids=""
        if [ -n "$pids" ]; then
            echo "samba-bench: ending processes left in $ns: $(echo $pids)" >&2
            for p in $pids; do kill -TERM "$p" 2>/dev/null; done
            for ((i = 0; i < 50; i++)); do [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && break; sleep 0.1; done
            for p in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$p" 2>/dev/null; done
        fi
        ip netns del "$ns" 2>/dev/null
        rm -rf "$floor"
    }
    trap end_ns EXIT
    gcc -O2 -o "$floor/empty-c" "$top/tests/bench/floor/empty.c"
    gcc -O2 -o "$floor/smb2-negotiate" "$top/tests/bench/floor/smb2-negotiate.c"
    dotnet publish "$top/tests/bench/floor/StartupFloor.csproj" -c "$config" \
        -r "linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')" -o "$floor/aot" -nologo -v q >/dev/null
    ip netns add "$ns"
    mkdir -p "$top/tests/bench/results"
    out=$top/tests/bench/results/samba.md
    CTDBPCMK_OCF_ROOT_SHOWN=${CTDBPCMK_OCF_ROOT:-} CTDBPCMK_OCF_ROOT_FROM=${CTDBPCMK_OCF_ROOT_FROM:-} \
        CTDBPCMK_OCF_ROOT=$root CTDBPCMK_DAEMON=$daemon CTDBPCMK_FLOOR=$floor \
        ip netns exec "$ns" "$0" "$config" --inner > "$out.new"
    mv "$out.new" "$out"
    cat "$out"
    exit 0
fi

# --- inside the namespace from here on ---
runs=${SAMBA_BENCH_RUNS:-30}
rounds=${SAMBA_BENCH_ROUNDS:-3}
[[ $runs =~ ^[0-9]+$ ]] && [ "$runs" -ge 20 ] || { echo "samba-bench: SAMBA_BENCH_RUNS must be a number, at least 20" >&2; exit 2; }
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "samba-bench: SAMBA_BENCH_ROUNDS must be a number, at least 1" >&2; exit 2; }
per=$(( (runs + rounds - 1) / rounds ))
runs=$(( per * rounds ))
ours=$CTDBPCMK_OCF_ROOT
daemon=$CTDBPCMK_DAEMON
floor=$CTDBPCMK_FLOOR
stock=/usr/lib/ocf
agent=$ours/resource.d/ctdb/samba
ctdb_ra=$stock/resource.d/heartbeat/CTDB
# Unix socket paths must stay short: a short temp directory directly under /tmp.
work=$(mktemp -d /tmp/sbench.XXXXXX)
chmod 755 "$work"
log=$work/bench.log
ip link set lo up

# --- process tracking: "PID STARTTIME", so a recycled PID is never signalled ---------------

starttime() {
    local stat
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
    stat=${stat##*) }
    # shellcheck disable=SC2086
    set -- $stat
    [ "$1" = Z ] && return 0
    echo "${20}"
}
ident() { local st; st=$(starttime "$1"); [ -n "$st" ] && echo "$1 $st"; return 0; }
alive() { [ -n "$1" ] && [ "$(starttime "${1%% *}")" = "${1#* }" ]; }
descendants() {
    local child
    for child in $(cat /proc/"$1"/task/*/children 2>/dev/null); do
        ident "$child"
        descendants "$child"
    done
}
# stop_procs SIGNAL SECONDS IDENT...: signal each, wait up to SECONDS, then SIGKILL survivors.
stop_procs() {
    local sig=$1 secs=$2 p i left
    shift 2
    for p in "$@"; do alive "$p" && kill "-$sig" "${p%% *}" 2>/dev/null; done
    for ((i = 0; i < secs * 10; i++)); do
        left=0
        for p in "$@"; do alive "$p" && left=1; done
        [ $left = 0 ] && return 0
        sleep 0.1
    done
    for p in "$@"; do alive "$p" && kill -KILL "${p%% *}" 2>/dev/null; done
    return 0
}
socket_accepts() { socat -u OPEN:/dev/null "UNIX-CONNECT:$1" 2>/dev/null; }
# wait_for SECONDS CMD...: until CMD succeeds; false on timeout.
wait_for() {
    local secs=$1 i
    shift
    for ((i = 0; i < secs * 10; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

ours_daemon="" ctdbd_proc="" ctdbd_tree=() holder="" smbd_proc="" agent_started=no

cleanup() {
    set +e
    if [ $agent_started = yes ]; then
        env "${samba_env[@]}" "$agent" stop >>"$log" 2>&1
    fi
    [ -n "$smbd_proc" ] && stop_procs TERM 10 "$smbd_proc"
    if alive "$ctdbd_proc"; then
        mapfile -t ctdbd_tree < <(descendants "${ctdbd_proc%% *}")
        ctdb_tool shutdown >>"$log" 2>&1
        stop_procs TERM 30 "$ctdbd_proc"
    fi
    [ ${#ctdbd_tree[@]} -gt 0 ] && stop_procs TERM 15 "${ctdbd_tree[@]}"
    [ -n "$holder" ] && stop_procs TERM 5 "$holder"
    [ -n "$ours_daemon" ] && stop_procs TERM 30 "$ours_daemon"
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- ctdb-pcmkd: one node, leader, private socket ------------------------------------------

od=$work/ours
ours_sock=$od/ctdbd.socket
mkdir -p "$od/db/volatile" "$od/db/persistent" "$od/db/state"
echo 127.0.0.1 > "$od/nodes"
cat > "$od/ctdb.conf" <<EOF
[logging]
	location = stderr
	log level = NOTICE

[cluster]
	node address = 127.0.0.1
	nodes file = $od/nodes
	socket = $ours_sock

[database]
	volatile database directory = $od/db/volatile
	persistent database directory = $od/db/persistent
	state database directory = $od/db/state
EOF
# setsid: every daemon here gets its own session, so no signal it sends to its process group
# (ctdbd in test mode does so when it shuts down) reaches this script or its caller.
env -u CTDB_SOCKET setsid "$daemon" --config "$od/ctdb.conf" --pidfile "$od/ctdb-pcmkd.pid" --leader \
    >"$od/log" 2>&1 </dev/null &
ours_daemon=$(ident $!)
if ! wait_for 30 socket_accepts "$ours_sock"; then
    echo "samba-bench: ctdb-pcmkd did not open $ours_sock; its log:" >&2
    tail -n 20 "$od/log" >&2
    exit 1
fi

# --- Debian's ctdbd 4.17: one node in test mode (shared/reference/ctdb-baseline.md) ---------

real=$work/ctdb
ctdb_sock=$real/run/ctdbd.socket
mkdir -p "$real/run" "$real/var" "$real/events/legacy" "$real/db/volatile" "$real/db/persistent" \
    "$real/db/state" "$real/shared"
cp /etc/ctdb/functions /etc/ctdb/notify.sh /etc/ctdb/debug-hung-script.sh "$real/"
echo 127.0.0.2 > "$real/nodes"
cat > "$real/ctdb.conf" <<EOF
[logging]
	location = file:$real/log.ctdb
	log level = NOTICE

[cluster]
	cluster lock = $real/shared/cluster.lock
	node address = 127.0.0.2

[database]
	volatile database directory = $real/db/volatile
	persistent database directory = $real/db/persistent
	state database directory = $real/db/state

[event]
	debug script = debug-hung-script.sh
EOF
ctdb_env=(CTDB_TEST_MODE=yes "CTDB_BASE=$real" "CTDB_SOCKET=$ctdb_sock")
ctdb_tool() { env "${ctdb_env[@]}" ctdb "$@"; }
ctdb_ok() { ctdb_tool status 2>/dev/null | grep -Eq '(OK|DISABLED) \(THIS'; }
# Test-mode ctdbd exits when its standard input reaches EOF: a sleeper holds the FIFO open.
mkfifo "$real/stdin.fifo"
sleep 1000000000 >"$real/stdin.fifo" 2>/dev/null </dev/null &
holder=$(ident $!)
ctdbd_why=""
if ! env "${ctdb_env[@]}" setsid -w ctdbd <"$real/stdin.fifo" >>"$real/ctdbd.out" 2>&1; then
    ctdbd_why="ctdbd did not start: $(tail -n 3 "$real/ctdbd.out" | tr '\n' ' ')"
elif ! wait_for 5 test -s "$real/run/ctdbd.pid"; then
    ctdbd_why="ctdbd wrote no pid file: $(tail -n 3 "$real/log.ctdb" 2>/dev/null | tr '\n' ' ')"
else
    ctdbd_proc=$(ident "$(cat "$real/run/ctdbd.pid")")
    # A fresh node is UNHEALTHY until its first monitor event and recovery have run.
    wait_for 60 ctdb_ok || ctdbd_why="ctdbd did not report 'OK (THIS NODE)' within 60 s: $(ctdb_tool status 2>&1 | tr '\n' ' ')"
fi

# --- smbd, clustered on ctdb-pcmkd (as tests/CtdbPcmk.TestSupport/SmbConf.cs) --------------

sd=$work/smb
conf=$sd/smb.conf
for d in private lock state cache pid ncalrpc binddns log share rsctmp; do mkdir -p "$sd/$d"; done
chmod 1777 "$sd/share"
cat > "$conf" <<EOF
[global]
	clustering = yes
	ctdbd socket = $ours_sock
	netbios name = SBENCH
	workgroup = SBENCHWG
	server role = standalone server
	security = user
	map to guest = Bad User
	guest account = nobody
	private dir = $sd/private
	lock directory = $sd/lock
	state directory = $sd/state
	cache directory = $sd/cache
	pid directory = $sd/pid
	ncalrpc dir = $sd/ncalrpc
	binddns dir = $sd/binddns
	log file = $sd/log/log.%m
	interfaces = lo
	bind interfaces only = no
	smb ports = 445
	disable netbios = yes
	load printers = no
	printing = bsd
	printcap name = /dev/null
	disable spoolss = yes

[share]
	path = $sd/share
	read only = no
	guest ok = yes
	guest only = yes
	force user = root
EOF

export OCF_ROOT=$stock OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 OCF_RESKEY_CRM_meta_timeout=20000
export OCF_RESKEY_CRM_meta_interval=10000 OCF_RESOURCE_INSTANCE=samba-bench HA_RSCTMP=$sd/rsctmp
# ocf:ctdb:samba's parameters.
samba_env=("OCF_RESKEY_config=$conf" OCF_RESKEY_services=smbd "OCF_RESKEY_ctdb_socket=$ours_sock")
# ocf:heartbeat:CTDB's parameters. With CTDB 4.9 and later it passes no socket to the ctdb tool
# (ctdb_socket is ignored, its metadata says so): the tool takes CTDB_SOCKET from the environment.
ra_env=("OCF_RESKEY_ctdb_config_dir=$real" "OCF_RESKEY_ctdb_socket=$ctdb_sock"
    "OCF_RESKEY_ctdb_recovery_lock=$real/shared/cluster.lock" "OCF_RESKEY_ctdb_dbdir=$real/db"
    "OCF_RESKEY_ctdb_rundir=$real/run" "OCF_RESKEY_ctdb_logfile=$real/log.ctdb" "CTDB_SOCKET=$ctdb_sock")
# The same monitor against ctdb-pcmkd: its shell and tool cost without ctdbd's broadcast wait.
ra_ours_env=("OCF_RESKEY_ctdb_config_dir=$od" "OCF_RESKEY_ctdb_socket=$ours_sock"
    "OCF_RESKEY_ctdb_recovery_lock=$od/cluster.lock" "OCF_RESKEY_ctdb_dbdir=$od/db"
    "OCF_RESKEY_ctdb_rundir=$od" "OCF_RESKEY_ctdb_logfile=$od/log" "CTDB_SOCKET=$ours_sock")

ours_why=""
if [ ! -x "$agent" ]; then
    ours_why="no ocf:ctdb:samba agent in $ours (resource.d/ctdb/samba is missing)"
else
    rc=0
    env "${samba_env[@]}" "$agent" start >"$work/start.out" 2>&1 || rc=$?
    if [ $rc = 0 ]; then
        agent_started=yes
    else
        ours_why="ocf:ctdb:samba start exited $rc: $(grep -h 'ocf-exit-reason' "$work/start.out" | tail -n 1)"
        env "${samba_env[@]}" "$agent" stop >>"$log" 2>&1 || true
    fi
fi
smbd_by=agent
if [ $agent_started = no ]; then
    # Without the agent the other checks still need the same clustered smbd.
    smbd_by=hand
    setsid smbd -F --no-process-group --debug-stdout -d 1 -s "$conf" >"$sd/smbd.out" 2>&1 </dev/null &
    smbd_proc=$(ident $!)
fi
smbclient_cmd=(smbclient -N -L //127.0.0.1 -s "$conf")
smb_ready() { "${smbclient_cmd[@]}" >/dev/null 2>&1; }
if ! wait_for 30 smb_ready; then
    echo "samba-bench: smbd does not answer 'smbclient -L' (started by $smbd_by); last lines:" >&2
    tail -n 20 "$sd/smbd.out" "$sd/log/log.smbd" 2>/dev/null >&2
    exit 1
fi

# --- measurements ----------------------------------------------------------------------------

# run_env ENV... -- CMD...: CMD with the environment additions ENV.
run_env() { local -a e=(); while [ "$1" != -- ]; do e+=("$1"); shift; done; shift; env "${e[@]}" "$@"; }

declare -A med mn forks execs rss failed
# timed NAME ENV... -- CMD...: one block of $per timed runs appended to $work/times.NAME (ms).
timed() {
    local name=$1
    shift
    local -a e=()
    while [ "$1" != -- ]; do e+=("$1"); shift; done
    shift
    [ -n "${failed[$name]:-}" ] && return 0
    # hyperfine -N: no shell between it and the command, so nothing but the check is timed.
    if ! env "${e[@]}" hyperfine -N --warmup 2 --runs "$per" --export-json "$work/hf.json" --style none \
        "$*" >/dev/null 2>"$work/hf.err"; then
        failed[$name]="hyperfine failed: $(tail -n 2 "$work/hf.err" | tr '\n' ' ')"
        return 0
    fi
    python3 -c 'import json,sys
for t in json.load(open(sys.argv[1]))["results"][0]["times"]: print("%.3f" % (t * 1000))' "$work/hf.json" >>"$work/times.$name"
}
# summarise NAME: med[NAME] and mn[NAME] over all the blocks.
summarise() {
    if [ -n "${failed[$1]:-}" ] || [ ! -s "$work/times.$1" ]; then
        med[$1]=failed mn[$1]=failed
        return 0
    fi
    read -r "med[$1]" "mn[$1]" < <(python3 -c 'import statistics,sys
t=[float(l) for l in open(sys.argv[1]) if l.strip()]
print("%.1f %.1f" % (statistics.median(t), min(t)))' "$work/times.$1")
}
# counted NAME ENV... -- CMD...: forks[NAME], execs[NAME] and rss[NAME] (KB) of one run each.
counted() {
    local name=$1
    shift
    local -a e=()
    while [ "$1" != -- ]; do e+=("$1"); shift; done
    shift
    # One traced run, a file per thread (-ff): a fork is a clone/fork/vfork without CLONE_THREAD
    # that returned a child; an exec is a successful execve, less the check's own.
    rm -rf "$work/st"; mkdir "$work/st"
    env "${e[@]}" strace -f -ff -qq -e trace=process -e signal=none -o "$work/st/t" "$@" >/dev/null 2>&1 || true
    forks[$name]=$(cat "$work"/st/t.* | grep -E '^(clone|clone3|fork|vfork)\(' | grep -v CLONE_THREAD | grep -cE '= [1-9][0-9]*$' || true)
    execs[$name]=$(( $(cat "$work"/st/t.* | grep -cE '^execve\(.*= 0$' || true) - 1 ))
    # GNU time: ru_maxrss of the children, i.e. the largest single process of the tree.
    env "${e[@]}" /usr/bin/time -f %M -o "$work/rss" "$@" >/dev/null 2>&1 || true
    rss[$name]=$(tail -n 1 "$work/rss")
}
mb() { [ -n "${1:-}" ] && [ "$1" != failed ] && echo "$(( $1 / 1024 )).$(( ($1 % 1024) * 10 / 1024 ))" || echo "-"; }
ratio() {
    python3 -c 'import sys
try: print("%.1f" % (float(sys.argv[1]) / float(sys.argv[2])))
except ValueError: print("-")' "$1" "$2"
}

# check_rc NAME ENV... -- CMD...: runs the check once; sets why[NAME] when it does not exit 0.
declare -A why
check_rc() {
    local name=$1 rc=0 out
    shift
    out=$(run_env "$@" 2>&1) || rc=$?
    if [ $rc != 0 ]; then
        why[$name]="exited $rc: $(tail -n 2 <<<"$out" | tr '\n' ' ')"
    fi
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
[ -n "$ours_why" ] || check_rc ours "${samba_env[@]}" -- "$agent" monitor
[ -n "$ours_why" ] && why[ours]=$ours_why
check_rc smbclient -- "${smbclient_cmd[@]}"
check_rc ctdb_ours "${ra_ours_env[@]}" -- "$ctdb_ra" monitor
if [ -n "$ctdbd_why" ]; then why[ctdb]=$ctdbd_why; else check_rc ctdb "${ra_env[@]}" -- "$ctdb_ra" monitor; fi

# Latency in $rounds rounds, every check once per round ($per runs each), the rounds' times
# pooled: load on a shared host drifts, and this spreads the drift over all checks alike.
for ((round = 1; round <= rounds; round++)); do
    [ -z "${why[ours]:-}" ] && timed ours "${samba_env[@]}" -- "$agent" monitor
    # smbd's own answer time to a new connection's NEGOTIATE, without any process start-up.
    python3 "$top/tests/bench/floor/smb2-negotiate-rtt.py" 127.0.0.1 445 "$per" >>"$work/times.negotiate" 2>>"$log" \
        || failed[negotiate]="smb2-negotiate-rtt.py failed: $(tail -n 1 "$log")"
    [ -z "${why[smbclient]:-}" ] && timed smbclient -- "${smbclient_cmd[@]}"
    timed empty_c -- "$floor/empty-c"
    # The same NEGOTIATE from the smallest possible process: the floor of any check like ours.
    timed negotiate_c -- "$floor/smb2-negotiate" 127.0.0.1 445
    timed empty_aot -- "$floor/aot/startup-floor"
    [ -z "${why[ctdb]:-}" ] && timed ctdb "${ra_env[@]}" -- "$ctdb_ra" monitor
    [ -z "${why[ctdb_ours]:-}" ] && timed ctdb_ours "${ra_ours_env[@]}" -- "$ctdb_ra" monitor
done
for n in ours negotiate negotiate_c smbclient empty_c empty_aot ctdb ctdb_ours; do
    summarise "$n"
    [ -n "${failed[$n]:-}" ] && [ -z "${why[$n]:-}" ] && why[$n]=${failed[$n]}
done
[ -z "${why[ours]:-}" ] && counted ours "${samba_env[@]}" -- "$agent" monitor
[ -z "${why[smbclient]:-}" ] && counted smbclient -- "${smbclient_cmd[@]}"
counted empty_c -- "$floor/empty-c"
counted negotiate_c -- "$floor/smb2-negotiate" 127.0.0.1 445
counted empty_aot -- "$floor/aot/startup-floor"
[ -z "${why[ctdb]:-}" ] && counted ctdb "${ra_env[@]}" -- "$ctdb_ra" monitor
[ -z "${why[ctdb_ours]:-}" ] && counted ctdb_ours "${ra_ours_env[@]}" -- "$ctdb_ra" monitor
# The monitor once more after the others: was smbd's state the same at the end?
[ -z "${why[ours]:-}" ] && check_rc ours_after "${samba_env[@]}" -- "$agent" monitor
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ----------------------------------------------------------------------------------

ver() { dpkg-query -W -f '${Version}' "$1" 2>/dev/null || echo '?'; }
echo "# Samba monitor benchmark"
echo
echo "Command: \`$( [ -n "${CTDBPCMK_OCF_ROOT_SHOWN:-}" ] && echo "CTDBPCMK_OCF_ROOT=$CTDBPCMK_OCF_ROOT_SHOWN ")tests/bench/samba-bench.sh $config\`"
echo "(\`make bench\` runs it without CTDBPCMK_OCF_ROOT), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)),"
echo "kernel $(uname -r); load average (1, 5, 15 min) $load_before at the start, $load_after at the end."
echo "Versions: samba/smbclient $(ver samba), ctdb $(ver ctdb), resource-agents $(ver resource-agents),"
echo "hyperfine $(hyperfine --version | cut -d' ' -f2), strace $(ver strace); this tree $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo '?');"
if [ -x "$agent" ]; then
    echo "agent $agent (ctdb-ocf sha256 $(sha256sum "$(readlink -f "$agent")" | cut -c1-12)${CTDBPCMK_OCF_ROOT_FROM:+, built from $CTDBPCMK_OCF_ROOT_FROM})."
else
    echo "agents from $ours."
fi
echo
echo "One private network namespace holds ctdb-pcmkd (\`--leader\`, node 127.0.0.1, its own socket),"
echo "Debian's ctdbd (test mode, node 127.0.0.2, its own socket, no event scripts) and one smbd"
echo "(\`clustering = yes\` on ctdb-pcmkd's socket, port 445, every path in a temp directory; started by"
if [ $smbd_by = agent ]; then
    echo "\`ocf:ctdb:samba start\`). All three checks look at that one smbd and run while it serves nothing else."
else
    echo "hand because ocf:ctdb:samba could not start it). All checks look at that one smbd."
fi
echo
echo "- latency: median (and minimum) of $runs runs: $rounds rounds, each running every check $per times"
echo "  in turn (\`hyperfine -N --warmup 2\`, no shell in between), the rounds' times pooled;"
echo "- forks / execs: one run under \`strace -f\`: processes created (clone/fork/vfork without"
echo "  CLONE_THREAD) and programs exec'd (successful execve, not counting the check's own);"
echo "- peak RSS: \`/usr/bin/time -f %M\` of one run, i.e. the largest single process of the check's"
echo "  process tree (ru_maxrss of the children), not the sum over the tree."
echo
echo "| check | command | median ms | min ms | forks | execs | peak RSS MB |"
echo "|---|---|---|---|---|---|---|"
row() {
    local name=$1 label=$2 cmd=$3
    if [ -n "${why[$name]:-}" ]; then
        echo "| $label | \`$cmd\` | not measured | | | | |"
    else
        echo "| $label | \`$cmd\` | ${med[$name]} | ${mn[$name]} | ${forks[$name]} | ${execs[$name]} | $(mb "${rss[$name]}") |"
    fi
}
row ours "ours: ocf:ctdb:samba monitor" "resource.d/ctdb/samba monitor"
row smbclient "smbclient -L" "smbclient -N -L //127.0.0.1 -s smb.conf"
row ctdb "ocf:heartbeat:CTDB monitor (Debian ctdbd)" "resource.d/heartbeat/CTDB monitor"
row ctdb_ours "ocf:heartbeat:CTDB monitor (ctdb-pcmkd)" "resource.d/heartbeat/CTDB monitor"
row empty_c "floor: empty C program" "tests/bench/floor/empty.c"
row empty_aot "floor: empty Native AOT program" "tests/bench/floor/StartupFloor.csproj"
row negotiate_c "floor: a C program that negotiates once with smbd" "tests/bench/floor/smb2-negotiate.c"
echo "| floor: smbd's NEGOTIATE answer on a new connection, inside one process | \`tests/bench/floor/smb2-negotiate-rtt.py\` | ${med[negotiate]} | ${mn[negotiate]} | | | |"
echo
for n in ours smbclient ctdb ctdb_ours; do
    [ -n "${why[$n]:-}" ] && echo "Not measured, $n: ${why[$n]}" && echo
done
[ -n "${why[ours_after]:-}" ] && echo "ocf:ctdb:samba monitor after the run: ${why[ours_after]}" && echo
if [ -z "${why[ours]:-}" ]; then
    echo "Ratios (median of the stock check / median of ours; by minimum in brackets):"
    echo
    [ -z "${why[smbclient]:-}" ] && echo "- ours vs \`smbclient -L\`: **$(ratio "${med[smbclient]}" "${med[ours]}")x** ($(ratio "${mn[smbclient]}" "${mn[ours]}")x); target >= 20x."
    [ -z "${why[ctdb]:-}" ] && echo "- ours vs ocf:heartbeat:CTDB monitor: **$(ratio "${med[ctdb]}" "${med[ours]}")x** ($(ratio "${mn[ctdb]}" "${mn[ours]}")x)."
    [ -z "${why[ctdb_ours]:-}" ] && echo "- ours vs ocf:heartbeat:CTDB monitor on ctdb-pcmkd (no broadcast wait): $(ratio "${med[ctdb_ours]}" "${med[ours]}")x ($(ratio "${mn[ctdb_ours]}" "${mn[ours]}")x)."
    if [ -z "${why[negotiate_c]:-}" ]; then
        echo "- ours against the floor (a C program that starts, negotiates once with the same smbd and"
        echo "  exits, timed the same way): **$(python3 -c 'import sys
try: print("%.0f %%" % (100 * float(sys.argv[1]) / float(sys.argv[2])))
except ValueError: print("-")' "${med[ours]}" "${med[negotiate_c]}")** of the floor's median; within 115 % counts as met."
        echo "- ours against the floor of a Native AOT check (the agents are Native AOT by design): the"
        echo "  empty Native AOT program plus what the C program adds to the empty C program (its connection"
        echo "  and NEGOTIATE), medians of this run: **$(python3 -c 'import sys
try:
    f = float(sys.argv[2]) + float(sys.argv[3]) - float(sys.argv[4])
    print("%.0f %%** (floor %.1f ms)" % (100 * float(sys.argv[1]) / f, f))
except ValueError: print("-**")' "${med[ours]}" "${med[empty_aot]}" "${med[negotiate_c]}" "${med[empty_c]}"); within 115 % counts as met."
        echo "  The 20x target would need ours at $(python3 -c 'import sys
try: print("%.1f ms" % (float(sys.argv[1]) / 20))
except ValueError: print("-")' "${med[smbclient]}"), below that floor: any check that"
        echo "  opens a connection to smbd waits for smbd to fork and set up a connection process."
    fi
    echo "- ours over the empty Native AOT program: $(python3 -c 'import sys; print("%.1f" % (float(sys.argv[1]) - float(sys.argv[2])))' "${med[ours]}" "${med[empty_aot]}") ms;"
    echo "  forks by ours: ${forks[ours]} (target 0), execs: ${execs[ours]}."
    echo "- smbd's NEGOTIATE answer alone (connect to response, no process start-up): ${med[negotiate]} ms;"
    echo "  ours minus that and the empty AOT program: $(python3 -c 'import sys
try: print("%.1f ms" % (float(sys.argv[1]) - float(sys.argv[2]) - float(sys.argv[3])))
except ValueError: print("-")' "${med[ours]}" "${med[negotiate]}" "${med[empty_aot]}")."
    if [ -z "${why[smbclient]:-}" ]; then
        echo "- the most any check that starts a Native AOT process and negotiates with smbd could reach"
        echo "  against \`smbclient -L\` here: $(python3 -c 'import sys
try: print("%.1fx" % (float(sys.argv[1]) / (float(sys.argv[2]) + float(sys.argv[3]))))
except ValueError: print("-")' "${med[smbclient]}" "${med[empty_aot]}" "${med[negotiate]}") (its median over empty AOT + NEGOTIATE answer)."
    fi
    echo
fi
cat <<'EOF'
What each check verifies:

- **ours** (`ocf:ctdb:samba monitor`, no subprocess): the smbd PID and start time the agent
  recorded at start are still that live process in /proc; then one TCP connection to smbd's
  port 445 gets an SMB2 NEGOTIATE request and a well-formed NEGOTIATE response, which means
  smbd accepted, forked a connection process and ran its protocol engine (a winbindd ping is
  added when winbindd is managed; not here). It does not log on or list shares.
- **`smbclient -N -L`**: a full anonymous client session: NEGOTIATE, SESSION_SETUP (guest),
  TREE_CONNECT to IPC$, and the srvsvc NetShareEnum RPC, which smbd hands to samba-dcerpcd and
  its rpcd_classic worker (started on demand by smbd, kept alive between runs after the
  warm-up; those server-side processes are not in the fork/exec counts, which count the
  client side only). It proves smbd answers a logon and the RPC helpers run; it knows
  nothing of which smbd process the cluster manager started.
- **`ocf:heartbeat:CTDB monitor`**: a bash script that sources ocf-shellfuncs, runs
  `ctdb version` (through awk and sed) to pick the tool's options, then `ctdb status`, and greps
  for "OK (THIS NODE)". `ctdb status` waits for the leader's next once-a-second broadcast, which
  dominates its time. It checks that ctdbd is up and this node healthy; it does not look at
  smbd at all (with `ctdb_manages_samba=no`, the setting its own description asks for, Samba is
  another resource's job; even with `yes` smbd is checked by ctdbd's event scripts, not by this
  monitor). It is measured as the stock monitor of the clustering layer under Samba, against
  the real ctdbd it was written for; only its monitor is run: its start and stop rewrite
  ctdb.conf in ctdb_config_dir and stop uses `pkill -f ctdbd`, which would hit every ctdbd on
  a shared host. The second CTDB row runs the same monitor against ctdb-pcmkd's socket
  (the ctdb tool works against it unchanged), where `ctdb status` answers without waiting for a
  broadcast (one tool run of about the tool's start-up time): what is left
  is the cost of the script and its programs.
- **floors**: an empty C program and an empty Native AOT program (process start-up alone), a C
  program that does nothing but open one connection, negotiate and check the answer (the
  smallest process that can make our check's one request), and
  smbd's answer to a NEGOTIATE on a new connection timed inside one Python process (connect to
  complete response, 20 ms between rounds): smbd forks a connection process for every new
  connection, and that process sets itself up (with clustering, against the cluster daemon too)
  before it answers, so no check that opens a connection to smbd can be faster than this.
EOF
