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
    # Monitor head to head: both agents check the same running address, interleaved in one
    # hyperfine call (40 runs each), so host load hits both alike; beside them the start-up
    # floor (an empty C program, an empty Native AOT program built like the agents).
    export OCF_RESOURCE_INSTANCE=vip OCF_RESKEY_ip=192.0.2.50 OCF_RESKEY_cidr_netmask=24 OCF_RESKEY_nic=v0 OCF_RESKEY_CRM_meta_interval=10000
    OCF_ROOT=$ours "$ours/resource.d/ctdb/vip" start >/dev/null 2>&1
    OCF_ROOT=$stock hyperfine -N --warmup 3 --runs 40 --export-json "$work/mon.json" --style none \
        "$ours/resource.d/ctdb/vip monitor" "$stock/resource.d/heartbeat/IPaddr2 monitor" \
        "$CTDBPCMK_FLOOR/empty-c" "$CTDBPCMK_FLOOR/aot/startup-floor" >/dev/null 2>"$work/mon.err" \
        || { echo "monitor head to head failed: $(cat "$work/mon.err")"; return 0; }
    OCF_ROOT=$ours "$ours/resource.d/ctdb/vip" stop >/dev/null 2>&1
    unset OCF_RESOURCE_INSTANCE OCF_RESKEY_ip OCF_RESKEY_cidr_netmask OCF_RESKEY_nic OCF_RESKEY_CRM_meta_interval
    echo
    python3 - "$work/mon.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
ours, stock, empty_c, empty_aot = r
med = stock["median"] / ours["median"]
best = stock["min"] / ours["min"]
print(f"Monitor head to head (40 interleaved runs each): vip median {ours['median']*1000:.1f} ms, "
      f"min {ours['min']*1000:.1f} ms; IPaddr2 median {stock['median']*1000:.1f} ms, min {stock['min']*1000:.1f} ms; "
      f"speed-up {med:.1f}x by median, {best:.1f}x by minimum (target >= 20x).")
print()
print(f"Start-up floor in the same run (medians): an empty C program {empty_c['median']*1000:.1f} ms, "
      f"an empty Native AOT program built like the agents {empty_aot['median']*1000:.1f} ms. "
      f"vip's monitor spends {(ours['median'] - empty_aot['median'])*1000:.1f} ms beyond the empty AOT program; "
      f"IPaddr2's monitor over the empty AOT program is {stock['median'] / empty_aot['median']:.1f}x, "
      f"the most any Native AOT agent could reach here.")
PY
    echo "vip execs: 0 expected in every row; peak RSS target <= 15 MB."
}
