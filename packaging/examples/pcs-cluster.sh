#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Creates the clustered Samba resources of a ctdb-pcmk cluster with pcs: the ctdb-pcmkd daemon
# clone, node health, smbd, and one group per public address (the address, then portblock).
# Run it once, as root, on one node of a running Pacemaker cluster whose nodes all have the
# ctdb-pcmk and ctdb-pcmk-agents packages installed and the same /etc/ctdb/nodes file.
# Every change goes to a scratch copy of the CIB first and is pushed in one step at the end, so
# the cluster never runs a half-made configuration.
#
# Settings (environment variables; the defaults are placeholders, set your own):
#   VIPS          public addresses, one resource group each                ("192.168.122.201 192.168.122.202")
#   NODES         preferred node of each address, in the order of VIPS     ("node1 node2")
#   NIC           interface the addresses go on                            (eth0)
#   CIDR          prefix length of the addresses                           (24)
#   SAMBA         yes: smbd as a clone (ocf:ctdb:samba); no: addresses only (yes)
#   CONNTRACK     yes: the connection tracker as a clone (ocf:ctdb:conntrack), so that the clients
#                 of every service behind the addresses (NFS, not only SMB) get tickled when an
#                 address moves; no: without it                             (yes)
#   NFS           yes: NFS-Ganesha as a clone (ocf:ctdb:nfs, /etc/ganesha/ganesha.conf of each node,
#                 RecoveryRoot on shared storage), the addresses started after it with nfs_grace
#                 (grace for the clients of a moved address) and NFS (TCP 2049) tickled too;
#                 no: without NFS                                          (no)
#   NFS_AGENT     the agent for NFS-Ganesha                                (ocf:ctdb:nfs)
#   TICKLE_DIR    directory on storage all nodes share, where the portblock agents keep the
#                 clients' TCP connections for the node taking an address over (empty: none)
#   PCS           the command running pcs                                  (pcs)
#   CIB           the scratch CIB file                                     (/root/ctdb-pcmk-cib.xml)
#   VIP_AGENT, PORTBLOCK_AGENT, SAMBA_AGENT   the agents used (ocf:ctdb:vip, ocf:ctdb:portblock,
#                 ocf:ctdb:samba); the same layout also runs with the stock agents
#                 (ocf:heartbeat:IPaddr2, ocf:heartbeat:portblock, lsb:smbd) for comparison.
# The demo (tests/pcmk-box, `make demo`) creates its resources by running this script.
set -euo pipefail

VIPS=${VIPS:-192.168.122.201 192.168.122.202}
NODES=${NODES:-node1 node2}
NIC=${NIC:-eth0}
CIDR=${CIDR:-24}
SAMBA=${SAMBA:-yes}
CONNTRACK=${CONNTRACK:-yes}
NFS=${NFS:-no}
NFS_AGENT=${NFS_AGENT:-ocf:ctdb:nfs}
TICKLE_DIR=${TICKLE_DIR:-}
PCS=${PCS:-pcs}
CIB=${CIB:-/root/ctdb-pcmk-cib.xml}
VIP_AGENT=${VIP_AGENT:-ocf:ctdb:vip}
PORTBLOCK_AGENT=${PORTBLOCK_AGENT:-ocf:ctdb:portblock}
SAMBA_AGENT=${SAMBA_AGENT:-ocf:ctdb:samba}

# pcs on the scratch CIB. $PCS is unquoted on purpose: it may be a command with arguments.
cib() { $PCS -f "$CIB" "$@"; }
trap 'echo "pcs-cluster.sh: failed at line $LINENO" >&2' ERR

read -r -a vips <<<"$VIPS"
read -r -a nodes <<<"$NODES"
[ ${#vips[@]} -eq ${#nodes[@]} ] || { echo "pcs-cluster.sh: VIPS and NODES must have as many entries" >&2; exit 2; }

# Copy the live CIB into the scratch file.
$PCS cluster cib "$CIB"

# Resources stay where they run unless a node fails or a constraint moves them (no moving back
# and forth when a node returns).
cib resource defaults update resource-stickiness=100

# The daemon, one instance per node (clone), promotable: the promoted instance is the cluster's
# leader (recovery master); at most one in the whole cluster (promoted-max=1). notify=true: the
# instances learn of each other's starts and stops. interleave=true: a node's dependants wait
# only for that node's instance. allow-unhealthy-nodes=true: the daemon stays on a node whose
# health is red (its databases must stay reachable while the addresses leave). Monitor the
# leader and the others at different intervals (Pacemaker needs them distinct per role).
cib resource create ctdb ocf:ctdb:ctdbd \
    op monitor interval=5s role=Promoted timeout=20s \
    op monitor interval=6s role=Unpromoted timeout=20s \
    promotable promoted-max=1 promoted-node-max=1 notify=true interleave=true \
    allow-unhealthy-nodes=true
# What the addresses (or smbd) follow: the daemon clone, or smbd when it runs.
after=ctdb-clone

# Node health (memory, file systems, the daemon) published as the #health-ctdb node attribute,
# checked every 5 s on every node; it too stays on unhealthy nodes, so that it sees them recover.
cib resource create health ocf:ctdb:health op monitor interval=5s clone allow-unhealthy-nodes=true

if [ "$SAMBA" != no ]; then
    # smbd of the clustered Samba (/etc/samba/smb.conf with "clustering = yes"), on every node.
    cib resource create samba "$SAMBA_AGENT" op monitor interval=5s timeout=20s clone interleave=true
    # smbd needs the daemon: started after the daemon instance of its node, and only where one runs.
    cib constraint order start ctdb-clone then start samba-clone
    cib constraint colocation add samba-clone with ctdb-clone INFINITY
    after=samba-clone
fi

if [ "$CONNTRACK" != no ]; then
    # The connection tracker on every node: it records the TCP connections to the addresses
    # this node holds in the daemon's replicated lists, and the vip agents ask it to reset
    # them when an address leaves (reset-server) and to tickle them when one arrives
    # (reset-client). It needs the daemon of its node; an address start only waits for it
    # when both start together (kind=Optional): restarting the tracker never moves addresses.
    cib resource create conntrack ocf:ctdb:conntrack op monitor interval=10s timeout=10s clone interleave=true
    cib constraint order start ctdb-clone then start conntrack-clone
    cib constraint colocation add conntrack-clone with ctdb-clone INFINITY
fi

if [ "$NFS" != no ]; then
    # NFS-Ganesha on every node, independent of the daemon. notify=true: each instance checks
    # that the others registered in the shared RecoveryRoot (a directory that is not shared
    # would leave a takeover node without the records its clients reclaim from).
    if [ "$NFS_AGENT" = ocf:ctdb:nfs ]; then
        cib resource create nfs "$NFS_AGENT" op monitor interval=10s timeout=20s clone interleave=true notify=true
    else
        # A comparison layout: ganesha.nfsd as a plain process (ocf:heartbeat:anything), which
        # knows nothing of grace on address moves.
        cib resource create nfs "$NFS_AGENT" binfile=/usr/bin/ganesha.nfsd \
            cmdline_options="-F -f /etc/ganesha/ganesha.conf -L /var/log/ganesha/ganesha.log -p /run/ganesha.pid" \
            op monitor interval=10s timeout=20s clone interleave=true
    fi
fi
ports=445
[ "$SAMBA" = no ] && [ "$NFS" != no ] && ports=2049
[ "$SAMBA" != no ] && [ "$NFS" != no ] && ports=445,2049

# A node whose #health-* attribute is red loses its addresses; the clones created with
# allow-unhealthy-nodes=true stay.
cib property set node-health-strategy=migrate-on-red

for i in "${!vips[@]}"; do
    n=$((i + 1)) ip=${vips[$i]} node=${nodes[$i]}
    # The group starts in this order and stops in the reverse one:
    #  1. the address itself on $NIC (gratuitous ARP / neighbour advertisement on takeover);
    #     With NFS and ocf:ctdb:vip, nfs_grace: NFS-Ganesha on the node taking the address enters
    #     grace for it first (its clients reclaim their opens and locks), and the node releasing
    #     it lets go of those clients first.
    vip_opts=()
    [ "$NFS" != no ] && [ "$VIP_AGENT" = ocf:ctdb:vip ] && [ "$NFS_AGENT" = ocf:ctdb:nfs ] && vip_opts=(nfs_grace=true)
    cib resource create "vip$n" "$VIP_AGENT" ip="$ip" cidr_netmask="$CIDR" nic="$NIC" "${vip_opts[@]}" op monitor interval=5s --group "g-vip$n"
    #  2. unblock: on start, send tickle ACKs to the clients of the node that held the address
    #     before (and lift any block of SMB, TCP 445, to it), so they reconnect at once instead
    #     of waiting for TCP timeouts; its monitor records the connections for the next node.
    #     There is no portblock action=block before the address: smbd runs (samba-clone) before
    #     an address can arrive, so there is nothing to hold clients off from, and each action
    #     of the group is one more step before clients are served after a move. With ocf:ctdb:vip
    #     the unblock's stop does not block either (block_on_unblock_stop=false): the address's
    #     own stop has smbd drop its clients and resets what is left, and a block left on the
    #     node would hold off the clients of the address's next arrival there. The stock
    #     portblock blocks on stop; its rule stays until the unblock start of a later arrival.
    unblock_opts=()
    [ "$PORTBLOCK_AGENT" = ocf:ctdb:portblock ] && unblock_opts=(block_on_unblock_stop=false)
    cib resource create "vip$n-unblock" "$PORTBLOCK_AGENT" ip="$ip" protocol=tcp portno="$ports" action=unblock \
        ${TICKLE_DIR:+tickle_dir="$TICKLE_DIR"} "${unblock_opts[@]}" op monitor interval=2s --group "g-vip$n"
    # Spread the addresses: each prefers its own node (50 is less than the stickiness of a
    # group of two, so an address that moved away does not move back by itself).
    cib constraint location "g-vip$n" prefers "$node=50"
    # critical=false: where an address goes must not pull the clones it is colocated with
    # (Pacemaker otherwise adds the group's node preferences, a move's INFINITY included, to
    # the daemon clone's, and moving an address would move the leader too).
    cib resource meta "g-vip$n" critical=false
    # An address is only useful where its service runs: start it after smbd (or the daemon),
    # and only on a node where that runs.
    cib constraint order start "$after" then start "g-vip$n"
    [ "$CONNTRACK" != no ] && cib constraint order start conntrack-clone then start "g-vip$n" kind=Optional
    cib constraint colocation add "g-vip$n" with "$after" INFINITY
    if [ "$NFS" != no ]; then
        # ... and after NFS-Ganesha of its node, only where that runs.
        cib constraint order start nfs-clone then start "g-vip$n"
        cib constraint colocation add "g-vip$n" with nfs-clone INFINITY
    fi
done

# Push the whole configuration at once.
$PCS cluster cib-push "$CIB" --config
