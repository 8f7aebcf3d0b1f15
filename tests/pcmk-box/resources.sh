# shellcheck shell=bash
# The box's resources, created by packaging/examples/pcs-cluster.sh (the example an administrator
# follows, so the two cannot drift apart): in a CIB copy, pushed at once:
#   ctdb-clone   ocf:ctdb:ctdbd, promotable (one promoted leader), notify, allowed on unhealthy nodes
#   health-clone ocf:ctdb:health, publishing #health-ctdb, with node-health-strategy=migrate-on-red
#   samba-clone  ocf:ctdb:samba (smbd of the clustered Samba, /etc/samba/smb.conf of each node),
#                started after the daemon instance of its node and only where one runs
#   conntrack-clone ocf:ctdb:conntrack (profiles ours and demo), after the daemon of its node;
#                the addresses start after it when both start together
#   nfs-clone    ocf:ctdb:nfs (NFS-Ganesha, /etc/ganesha/ganesha.conf of each node, exporting the
#                share's directory as /share, client records in the shared /srv/ganesha-recovery);
#                the addresses start after it, with nfs_grace, and their unblock covers TCP 2049
#   g-vip1/2     VIP -> portblock unblock (tickle ACKs from the daemon's list and the shared
#                tickle_dir; block_on_unblock_stop=false with ocf:ctdb:portblock), each where smbd (or, without Samba, a daemon instance)
#                runs and started after it, spread over n1/n2, sticky, critical=false (an
#                address's placement never moves the leader)
# Profiles: ours/demo (ocf:ctdb:vip + ocf:ctdb:portblock + ocf:ctdb:samba), stock
# (ocf:heartbeat:IPaddr2 + ocf:heartbeat:portblock + lsb:smbd, Debian's init script), the same
# layout. Sourced by `box` with $dir, $top and BOX_X (the command running pcs in node 1) set.

has_agent() { [ -e "$dir/ocf-root/resource.d/ctdb/$1" ]; }

create_resources() {
    local profile=$1 agents=() samba=yes conntrack=no nfs=no out a
    case $profile in
    ours | demo)
        agents=(VIP_AGENT=ocf:ctdb:vip PORTBLOCK_AGENT=ocf:ctdb:portblock SAMBA_AGENT=ocf:ctdb:samba)
        has_agent samba || samba=no
        has_agent conntrack && conntrack=yes
        has_agent nfs && [ -x /usr/bin/ganesha.nfsd ] && nfs=yes
        ;;
    stock)
        agents=(VIP_AGENT=ocf:heartbeat:IPaddr2 PORTBLOCK_AGENT=ocf:heartbeat:portblock SAMBA_AGENT=lsb:smbd NFS_AGENT=ocf:heartbeat:anything)
        # The stock layout has NFS only when asked (BOX_NFS=yes): ganesha.nfsd as a plain process.
        [ "${BOX_NFS:-no}" = yes ] && nfs=yes
        ;;
    *) echo "box: unknown resource profile $profile (ours, stock, demo)" >&2; return 2 ;;
    esac
    for a in ctdbd health; do
        has_agent "$a" || { echo "box: the OCF root has no ocf:ctdb:$a" >&2; return 1; }
    done
    # BOX_SAMBA=no: no Samba (benchmarks that run their own TCP service on port 445).
    [ "${BOX_SAMBA:-yes}" = no ] && samba=no
    # BOX_NFS=no: no NFS-Ganesha.
    [ "${BOX_NFS:-}" = no ] && nfs=no
    out=$(env "${agents[@]}" SAMBA=$samba CONNTRACK=$conntrack NFS=$nfs VIPS="$VIP1 $VIP2" NODES="n1 n2" NIC=eth0 CIDR=24 \
        TICKLE_DIR=/run/shared/tickle PCS="$BOX_X pcs" CIB=/run/shared/cib-new.xml \
        "$top/packaging/examples/pcs-cluster.sh" 2>&1) || { echo "box: $out" >&2; return 1; }
}
