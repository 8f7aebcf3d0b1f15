# Sourced by tests/bench/agents-bench.sh: ocf:ctdb:nfs vs ocf:heartbeat:anything running
# NFS-Ganesha (and ocf:heartbeat:nfsserver, which manages the kernel server, tried against it).
bench_nfs() {
    # Each start brings up a whole NFS-Ganesha: fewer runs than the other agents' rows.
    local runs=${AGENTS_BENCH_NFS_RUNS:-5}
    # Start leaves ganesha.nfsd running: count the execs of the agent's own run only.
    local EXECS_UNTIL_EXIT=1
    local d="$work/nfs" pid
    mkdir -p "$d/export" "$d/recov" "$d/rsctmp" "$d/bus"
    # A private system bus: the distribution's system.conf with the listen address changed and the
    # user and pid file dropped (its policy, and ganesha's under /etc/dbus-1/system.d, kept; a
    # hand-written minimal config does not deliver ganesha's replies).
    sed -e "s|<listen>[^<]*</listen>|<listen>unix:path=$d/bus/bus.sock</listen>|" \
        -e 's|<user>[^<]*</user>||; s|<pidfile>[^<]*</pidfile>||' \
        -e 's|<includedir>\([^/<][^<]*\)</includedir>|<includedir>/usr/share/dbus-1/\1</includedir>|' \
        /usr/share/dbus-1/system.conf >"$d/bus/bus.conf"
    local bus_pid
    bus_pid=$(dbus-daemon --config-file="$d/bus/bus.conf" --fork --print-pid)
    cat >"$d/ganesha.conf" <<EOC
NFS_CORE_PARAM {
	Protocols = 4;
	NFS_Port = 2049;
	Enable_NLM = false;
	Enable_RQUOTA = false;
}
NFSv4 {
	RecoveryBackend = fs;
	RecoveryRoot = $d/recov;
	Lease_Lifetime = 10;
	Grace_Period = 20;
}
EXPORT {
	Export_Id = 1;
	Path = $d/export;
	Pseudo = /share;
	Access_Type = RW;
	Squash = No_Root_Squash;
	Protocols = 4;
	Transports = TCP;
	SecType = sys;
	FSAL { Name = VFS; }
}
EOC
    echo
    echo "## nfs vs anything (NFS-Ganesha $(dpkg-query -W -f '${Version}' nfs-ganesha 2>/dev/null || echo '?'))"
    echo
    echo "One ganesha.conf (NFSv4 on TCP 2049, one VFS export, fs recovery backend with its RecoveryRoot"
    echo "in the work directory) and a private system bus (dbus-daemon with the distribution's"
    echo "system.conf, listening in the work directory). ocf:ctdb:nfs: node_id=1, dbus_address set to"
    echo "that bus; its start returns once the server answers an RPC NULL and its D-Bus admin"
    echo "interface; its monitor checks the process in /proc, sends an RPC NULL and pings the admin"
    echo "interface. ocf:heartbeat:anything: binfile=/usr/bin/ganesha.nfsd, cmdline_options=\"-F -f ..."
    echo "-L ... -p ...\", its own pidfile; it starts the program through \`su -\` (which clears the"
    echo "environment, so that ganesha finds no D-Bus: there is none at the default address here) and"
    echo "returns once the process exists; its monitor is \`kill -0\` of the PID in its pidfile. Its stop"
    echo "sends SIGTERM and waits for the process to go. Latency rows: median of $runs runs (each start"
    echo "brings up a whole NFS-Ganesha). execs count until the agent itself exits (not ganesha.nfsd's own;"
    echo "ctdb:nfs start's one exec is ganesha.nfsd itself)."
    echo "Machine load when this section started: \`$(uptime | sed 's/^ *//')\`."
    echo
    echo "| agent | action | median ms | execs | peak RSS MB |"
    echo "|---|---|---|---|---|"
    export HA_RSCTMP=$d/rsctmp OCF_RESOURCE_INSTANCE=nfs
    export OCF_RESKEY_config=$d/ganesha.conf OCF_RESKEY_node_id=1 OCF_RESKEY_dbus_address=unix:path=$d/bus/bus.sock \
        OCF_RESKEY_log_file=$d/ganesha-ours.log
    OCF_ROOT=$ours measure_agent "ctdb:nfs" "$ours/resource.d/ctdb/nfs"
    unset OCF_RESKEY_config OCF_RESKEY_node_id OCF_RESKEY_dbus_address OCF_RESKEY_log_file
    export OCF_RESKEY_binfile=/usr/bin/ganesha.nfsd OCF_RESKEY_pidfile=$d/anything.pid OCF_RESKEY_logfile=$d/anything.out \
        OCF_RESKEY_cmdline_options="-F -f $d/ganesha.conf -L $d/ganesha-stock.log -p $d/ganesha-stock.pid"
    OCF_ROOT=$stock measure_agent "heartbeat:anything" "$stock/resource.d/heartbeat/anything"

    # Monitor head to head on the same running NFS-Ganesha (started by ocf:ctdb:nfs; anything's
    # pidfile holds its PID), interleaved in one hyperfine call (40 runs each).
    export OCF_RESKEY_config=$d/ganesha.conf OCF_RESKEY_node_id=1 OCF_RESKEY_dbus_address=unix:path=$d/bus/bus.sock \
        OCF_RESKEY_log_file=$d/ganesha-ours.log OCF_RESKEY_CRM_meta_interval=10000
    OCF_ROOT=$ours "$ours/resource.d/ctdb/nfs" start >/dev/null 2>&1
    pid=$(cat "$d"/rsctmp/*.pid 2>/dev/null | head -n 1)
    echo "$pid" >"$d/anything.pid"
    local nfsserver_out nfsserver_rc=0
    nfsserver_out=$(OCF_ROOT=$stock OCF_RESKEY_nfsv4_only=true "$stock/resource.d/heartbeat/nfsserver" monitor 2>&1) || nfsserver_rc=$?
    OCF_ROOT=$stock hyperfine -N --warmup 3 --runs 40 --export-json "$work/nfsmon.json" --style none \
        "$ours/resource.d/ctdb/nfs monitor" "$stock/resource.d/heartbeat/anything monitor" >/dev/null 2>"$work/nfsmon.err" \
        || echo "monitor head to head failed: $(cat "$work/nfsmon.err")"
    local xo xs ro rs
    xo=$(OCF_ROOT=$ours execs "$ours/resource.d/ctdb/nfs" monitor); ro=$(OCF_ROOT=$ours peak_kb "$ours/resource.d/ctdb/nfs" monitor)
    xs=$(OCF_ROOT=$stock execs "$stock/resource.d/heartbeat/anything" monitor); rs=$(OCF_ROOT=$stock peak_kb "$stock/resource.d/heartbeat/anything" monitor)
    OCF_ROOT=$ours "$ours/resource.d/ctdb/nfs" stop >/dev/null 2>&1
    unset OCF_RESKEY_config OCF_RESKEY_node_id OCF_RESKEY_dbus_address OCF_RESKEY_log_file OCF_RESKEY_CRM_meta_interval
    unset OCF_RESKEY_binfile OCF_RESKEY_pidfile OCF_RESKEY_logfile OCF_RESKEY_cmdline_options HA_RSCTMP OCF_RESOURCE_INSTANCE
    [ -f "$work/nfsmon.json" ] && python3 - "$work/nfsmon.json" "$pid" "$xo" "$ro" "$xs" "$rs" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ours, stock = r
pid, xo, ro, xs, rs = sys.argv[2:]
print()
print(f"Monitor head to head on the same running NFS-Ganesha (PID {pid}, started by ocf:ctdb:nfs), 40 interleaved runs each:")
print()
print("| agent | median ms | min ms | execs | peak RSS MB | what it checks |")
print("|---|---|---|---|---|---|")
print(f"| ctdb:nfs monitor | {ours['median']*1000:.1f} | {ours['min']*1000:.1f} | {xo} | {int(ro)/1024:.1f} | process in /proc, RPC NULL on 2049, D-Bus admin ping |")
print(f"| heartbeat:anything monitor | {stock['median']*1000:.1f} | {stock['min']*1000:.1f} | {xs} | {int(rs)/1024:.1f} | kill -0 of the PID in its pidfile |")
print()
print(f"anything/nfs by median: {stock['median'] / ours['median']:.1f}x.")
PY
    echo
    echo "ocf:heartbeat:nfsserver cannot run against NFS-Ganesha: it manages the kernel NFS server"
    echo "(nfs-server through systemctl or its init script, rpc.statd, rpc.mountd, /proc/fs/nfsd)."
    echo "\`nfsserver monitor\` (nfsv4_only=true) with NFS-Ganesha serving on port 2049 here exited $nfsserver_rc:"
    echo
    echo '```'
    printf '%s\n' "$nfsserver_out" | head -n 5
    echo '```'
    kill "$bus_pid" 2>/dev/null || true
}
