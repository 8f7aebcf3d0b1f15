# Sourced by tests/bench/agents-bench.sh: ocf:ctdb:portblock vs ocf:heartbeat:portblock.
bench_portblock() {
    local tickle="$work/tickle" rsctmp="$work/rsctmp"
    mkdir -p "$tickle" "$rsctmp"
    echo
    echo "## portblock vs heartbeat:portblock"
    echo
    echo "Parameters: protocol=tcp portno=445,139 ip=192.0.2.1; the unblock rows add"
    echo "tickle_dir (connections recorded on monitor and stop; none are open, so no tickle is sent)."
    echo "Ours uses nft (table inet ctdb_portblock); the stock agent uses iptables $(iptables -V | awk '{print $2, $3}'),"
    echo "whose rules it never finds again, so its start adds a DROP rule every time and its stop removes none:"
    echo "its rows measure what it does, not a correct result."
    echo
    echo "| agent | action | median ms | execs | peak RSS MB |"
    echo "|---|---|---|---|---|"
    export HA_RSCTMP=$rsctmp OCF_RESKEY_protocol=tcp OCF_RESKEY_portno=445,139 OCF_RESKEY_ip=192.0.2.1
    export OCF_RESOURCE_INSTANCE=pb-block OCF_RESKEY_action=block
    OCF_ROOT=$ours measure_agent "ctdb:portblock block" "$ours/resource.d/ctdb/portblock"
    OCF_ROOT=$stock measure_agent "heartbeat:portblock block" "$stock/resource.d/heartbeat/portblock"
    export OCF_RESOURCE_INSTANCE=pb-unblock OCF_RESKEY_action=unblock OCF_RESKEY_tickle_dir=$tickle
    OCF_ROOT=$ours measure_agent "ctdb:portblock unblock" "$ours/resource.d/ctdb/portblock"
    OCF_ROOT=$stock measure_agent "heartbeat:portblock unblock" "$stock/resource.d/heartbeat/portblock"
    echo
    echo "Rules left behind: ours $(nft list table inet ctdb_portblock 2>/dev/null | grep -c 'drop comment') nft rule(s)" \
        "(one expected: the unblock instance ends stopped, i.e. blocking);" \
        "stock $(iptables -w -S INPUT | grep -c -- '-j DROP') iptables DROP rule(s)."
    echo
    echo "Monitor speed-up, unblock instance: $(ratio "${monitor_ms[heartbeat:portblock unblock]}" "${monitor_ms[ctdb:portblock unblock]}")x."
    unset HA_RSCTMP OCF_RESKEY_protocol OCF_RESKEY_portno OCF_RESKEY_ip OCF_RESOURCE_INSTANCE OCF_RESKEY_action OCF_RESKEY_tickle_dir
    nft delete table inet ctdb_portblock 2>/dev/null || true
    iptables -w -F INPUT
}
