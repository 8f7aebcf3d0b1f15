# shellcheck shell=bash
# Names and addresses of one box, and its network: a switch namespace with a bridge (which also
# carries the client address) and one veth per node. Sourced by `box` with $dir set.
BOX_NET=192.168.78
CLIENT_IP=$BOX_NET.200
CLIENT_MAC=02:00:c0:a8:4e:c8
VIP1=$BOX_NET.101
VIP2=$BOX_NET.102

node_ip() { echo "$BOX_NET.1$1"; }

# A short name unique to the box directory; namespaces are called NAME-sw and NAME-nN.
box_name() { printf 'cpb%s' "$(printf %s "$dir" | cksum | cut -d' ' -f1 | cut -c1-7)"; }

ns_switch() { echo "$(cat "$dir/name")-sw"; }
ns_node() { echo "$(cat "$dir/name")-n$1"; }

net_up() {
    local sw
    sw=$(ns_switch)
    if ip netns list | grep -q "^$(cat "$dir/name")-"; then
        echo "box: namespaces $(cat "$dir/name")-* already exist" >&2
        return 1
    fi
    ip netns add "$sw"
    ip -n "$sw" link set lo up
    # A bridge without an address of its own takes the lowest MAC of its ports, so the client's
    # MAC would change whenever a node's port goes away; a real client's does not. Fixed here,
    # the survivors' neighbour entries for the client stay right across a node's power loss.
    ip -n "$sw" link add br0 address "$CLIENT_MAC" type bridge
    ip -n "$sw" addr add "$CLIENT_IP/24" dev br0
    ip -n "$sw" link set br0 up
}

node_net_up() {
    local i=$1 sw ns
    sw=$(ns_switch)
    ns=$(ns_node "$i")
    ip netns add "$ns"
    ip link add "veth-n$i" netns "$ns" type veth peer name "p-n$i" netns "$sw"
    ip -n "$ns" link set "veth-n$i" name eth0
    ip -n "$ns" addr add "$(node_ip "$i")/24" dev eth0
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
    ip -n "$sw" link set "p-n$i" master br0
    ip -n "$sw" link set "p-n$i" up
}

# The node's link goes away with it (its addresses, VIPs included, vanish from the wire).
node_net_cut() {
    local i=$1
    ip -n "$(ns_switch)" link del "p-n$i" 2>/dev/null || true
    ip netns del "$(ns_node "$i")" 2>/dev/null || true
}

net_down() {
    for i in $NODES; do node_net_cut "$i"; done
    ip netns del "$(ns_switch)" 2>/dev/null || true
}
