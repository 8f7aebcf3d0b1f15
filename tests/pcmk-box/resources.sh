# shellcheck shell=bash
# The box's resources, created with pcs in a CIB copy and pushed at once, as an administrator would:
#   ctdb-clone   ocf:ctdb:ctdbd, promotable (one promoted leader), notify, allowed on unhealthy nodes
#   health-clone ocf:ctdb:health, publishing #health-ctdb, with node-health-strategy=migrate-on-red
#   samba-clone  ocf:ctdb:samba (smbd of the clustered Samba, /etc/samba/smb.conf of each node),
#                started after the daemon instance of its node and only where one runs
#   g-vip1/2     portblock block -> VIP -> portblock unblock (tickle ACKs from the daemon's list and
#                the shared tickle_dir), each where smbd (or, without Samba, a daemon instance)
#                runs and started after it, spread over n1/n2, sticky, critical=false (an
#                address's placement never moves the leader)
# Profiles: ours/demo (ocf:ctdb:vip + ocf:ctdb:portblock + ocf:ctdb:samba), stock
# (ocf:heartbeat:IPaddr2 + ocf:heartbeat:portblock + lsb:smbd, Debian's init script). The daemon and health clones are created when the installed agents
# include them. Sourced by `box` with $dir and BOX_X (the command running pcs in node 1) set.

has_agent() { [ -e "$dir/ocf-root/resource.d/ctdb/$1" ]; }

create_resources() {
    local profile=$1 vip pb smb="" f=/run/shared/cib-new.xml
    # BOX_SAMBA=no: no Samba (benchmarks that run their own TCP service on port 445).
    case $profile in
    ours | demo) vip=ocf:ctdb:vip; pb=ocf:ctdb:portblock; has_agent samba && smb=ocf:ctdb:samba ;;
    stock) vip=ocf:heartbeat:IPaddr2; pb=ocf:heartbeat:portblock; smb=lsb:smbd ;;
    *) echo "box: unknown resource profile $profile (ours, stock, demo)" >&2; return 2 ;;
    esac
    pcs() {
        local out
        out=$($BOX_X pcs -f "$f" "$@" 2>&1) || { echo "box: pcs $*: $out" >&2; return 1; }
    }
    $BOX_X pcs cluster cib "$f"
    pcs resource defaults update resource-stickiness=100
    local after=()
    if has_agent ctdbd; then
        pcs resource create ctdb ocf:ctdb:ctdbd \
            op monitor interval=5s role=Promoted timeout=20s \
            op monitor interval=6s role=Unpromoted timeout=20s \
            promotable promoted-max=1 promoted-node-max=1 notify=true interleave=true \
            allow-unhealthy-nodes=true
        after=(ctdb-clone)
    fi
    if has_agent health; then
        pcs resource create health ocf:ctdb:health op monitor interval=5s clone allow-unhealthy-nodes=true
    fi
    [ "${BOX_SAMBA:-yes}" = no ] && smb=""
    if [ -n "$smb" ] && [ ${#after[@]} -gt 0 ]; then
        pcs resource create samba "$smb" op monitor interval=5s timeout=20s clone interleave=true
        pcs constraint order start "${after[0]}" then start samba-clone
        pcs constraint colocation add samba-clone with "${after[0]}" INFINITY
        after=(samba-clone)
    fi
    # A node whose #health-* attribute is red loses its addresses; clones marked
    # allow-unhealthy-nodes stay.
    pcs property set node-health-strategy=migrate-on-red
    local i ip node
    for i in 1 2; do
        ip=$(eval echo "\$VIP$i")
        node=n$i
        pcs resource create "vip$i-block" "$pb" ip="$ip" protocol=tcp portno=445 action=block --group "g-vip$i"
        pcs resource create "vip$i" "$vip" ip="$ip" cidr_netmask=24 nic=eth0 op monitor interval=5s --group "g-vip$i"
        pcs resource create "vip$i-unblock" "$pb" ip="$ip" protocol=tcp portno=445 action=unblock \
            tickle_dir=/run/shared/tickle op monitor interval=2s --group "g-vip$i"
        pcs constraint location "g-vip$i" prefers "$node=50"
        # critical=false: where an address goes must not pull the clones it is colocated with
        # (Pacemaker otherwise adds the group's node preferences, a move's INFINITY included, to
        # the daemon clone's, and moving an address would move the leader too).
        pcs resource meta "g-vip$i" critical=false
        if [ ${#after[@]} -gt 0 ]; then
            # An address is only useful where its service (or at least a daemon instance) runs.
            pcs constraint order start "${after[0]}" then start "g-vip$i"
            pcs constraint colocation add "g-vip$i" with "${after[0]}" INFINITY
        fi
    done
    $BOX_X pcs cluster cib-push "$f" --config >/dev/null 2>&1 || { echo "box: pcs cluster cib-push failed" >&2; return 1; }
    unset -f pcs
}
