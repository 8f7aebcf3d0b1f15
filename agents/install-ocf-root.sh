#!/usr/bin/env bash
# Publishes the agents' Native AOT multi-call binary and installs an OCF root:
#   DESTDIR/lib/ctdb/ctdb-ocf            the binary
#   DESTDIR/resource.d/ctdb/<agent>      relative links to it, one per agent
#   DESTDIR/lib/ctdb/ctdb-pcmkd          the daemon ocf:ctdb:ctdbd starts by default (a link
#                                        into DESTDIR/lib/ctdb/daemon/, framework-dependent)
# so that OCF_ROOT=DESTDIR makes the agents available as ocf:ctdb:<agent>.
# Usage: agents/install-ocf-root.sh DESTDIR [CONFIG]
set -euo pipefail
dest=${1:?usage: install-ocf-root.sh DESTDIR [CONFIG]}
config=${2:-Release}
top=$(cd "$(dirname "$0")/.." && pwd)
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
out="$top/agents/CtdbPcmk.Agents/bin/publish-$rid"
dotnet publish "$top/agents/CtdbPcmk.Agents/CtdbPcmk.Agents.csproj" -c "$config" -r "$rid" -o "$out" -nologo -v q
mkdir -p "$dest/lib/ctdb" "$dest/resource.d/ctdb"
install -m 0755 "$out/ctdb-ocf" "$dest/lib/ctdb/ctdb-ocf"
dotnet publish "$top/daemon/CtdbPcmk.Daemon/CtdbPcmk.Daemon.csproj" -c "$config" -f net10.0 -o "$dest/lib/ctdb/daemon" -nologo -v q
ln -sfn daemon/ctdb-pcmkd "$dest/lib/ctdb/ctdb-pcmkd"
for agent in $("$dest/lib/ctdb/ctdb-ocf" --list); do
    ln -sfn ../../lib/ctdb/ctdb-ocf "$dest/resource.d/ctdb/$agent"
done
echo "installed $(ls "$dest/resource.d/ctdb" | tr '\n' ' ')in $dest/resource.d/ctdb"
