#!/bin/sh
# Installs the Debian 12 packages the build, the tests, the benchmarks and the demo use.
# Idempotent; run as root. Package scripts are kept from starting any service.
set -eu
pkgs="afl++ ctdb samba smbclient tdb-tools libtdb1 pacemaker corosync pcs resource-agents
nftables iptables tshark tcpdump rpm rpmlint libxml2-utils iproute2 procps psmisc python3 python3-impacket socat
strace hyperfine time jq gcc libc6-dev libtdb-dev libcpg-dev libquorum-dev python3-samba pacemaker-cli-utils
samba-testsuite winbind conntrack conntrackd dbus-daemon nfs-ganesha nfs-ganesha-vfs libnfs-utils"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "install-deps: missing packages:$missing (run as root)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
had_policy=0
[ -e /usr/sbin/policy-rc.d ] && had_policy=1
if [ $had_policy = 0 ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod +x /usr/sbin/policy-rc.d
fi
trap '[ $had_policy = 0 ] && rm -f /usr/sbin/policy-rc.d' EXIT
apt-get update -q
# shellcheck disable=SC2086
apt-get install -y -q --no-install-recommends $missing
