#!/usr/bin/env bash
# Publishes the daemon as a Native AOT executable (no .NET runtime needed where it runs):
#   DESTDIR/ctdb-pcmkd
# The packaged daemon is this build; the JIT build (bin/CONFIG/net10.0) is what tests iterate on.
# Usage: packaging/publish-daemon-aot.sh DESTDIR [CONFIG]
set -euo pipefail
dest=${1:?usage: publish-daemon-aot.sh DESTDIR [CONFIG]}
config=${2:-Release}
top=$(cd "$(dirname "$0")/.." && pwd)
proj=$top/daemon/CtdbPcmk.Daemon/CtdbPcmk.Daemon.csproj
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
tfm=$(dotnet msbuild "$proj" -getProperty:AotTargetFramework -nologo)
out=$top/daemon/CtdbPcmk.Daemon/bin/publish-aot-$rid
dotnet publish "$proj" -c "$config" -f "$tfm" -r "$rid" -o "$out" -nologo -v q
mkdir -p "$dest"
install -m 0755 "$out/ctdb-pcmkd" "$dest/ctdb-pcmkd"
echo "published $dest/ctdb-pcmkd (Native AOT, $tfm, $rid)"
