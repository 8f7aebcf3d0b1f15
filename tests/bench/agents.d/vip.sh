# Sourced by tests/bench/agents-bench.sh: ocf:ctdb:vip vs ocf:heartbeat:IPaddr2.
bench_vip() {
    echo
    echo "## vip vs IPaddr2"
    echo
    echo "Parameters: ip=192.0.2.50 cidr_netmask=24 nic=v0 (defaults otherwise: 5 announcements 200 ms"
    echo "apart, the first before start returns and the rest from a forked sender (arp_bg, no exec), as"
    echo "IPaddr2 sends its ARPs in the background). The second table runs vip with arp_bg=false."

    echo
    echo "| agent | action | median ms | execs | peak RSS MB |"
    echo "|---|---|---|---|---|"
    export OCF_RESOURCE_INSTANCE=vip OCF_RESKEY_ip=192.0.2.50 OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_nic=v0
    OCF_ROOT=$ours measure_agent "ctdb:vip" "$ours/resource.d/ctdb/vip"
    OCF_ROOT=$stock measure_agent "heartbeat:IPaddr2" "$stock/resource.d/heartbeat/IPaddr2"
    echo
    echo "| agent | action | median ms | execs | peak RSS MB |"
    echo "|---|---|---|---|---|"
    OCF_RESKEY_arp_bg=false OCF_ROOT=$ours measure_agent "ctdb:vip arp_bg=false" "$ours/resource.d/ctdb/vip" | grep -E '\| (start|stop) \|'
    unset OCF_RESOURCE_INSTANCE OCF_RESKEY_ip OCF_RESKEY_cidr_netmask OCF_RESKEY_nic
    echo
    echo "Monitor speed-up vip vs IPaddr2: $(ratio "${monitor_ms[heartbeat:IPaddr2]}" "${monitor_ms[ctdb:vip]}")x" \
        "(target >= 20x); vip execs: 0 expected in every row; peak RSS target <= 15 MB."
}
