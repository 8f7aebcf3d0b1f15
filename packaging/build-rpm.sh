#!/usr/bin/env bash
# make rpm: builds the ctdb-pcmk and ctdb-pcmk-agents RPMs (RHEL 9 and rebuilds) from the Native
# AOT executables published here, then checks them with rpmlint (any error fails):
#   OUT/stage/          what the spec packages (daemon, agent binary, agent list, files)
#   OUT/<arch>/*.rpm    the packages
# Usage: packaging/build-rpm.sh [OUT] [CONFIG]   (default OUT: artifacts/rpm)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/artifacts/rpm}
config=${2:-Release}
mkdir -p "$out"
out=$(cd "$out" && pwd)
stage=$out/stage
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
rm -rf "$stage" "$out/build" "$out"/*/ctdb-pcmk-*.rpm
mkdir -p "$stage/ocf-metadata"

"$top/packaging/publish-daemon-aot.sh" "$stage" "$config"
agents_out=$top/agents/CtdbPcmk.Agents/bin/publish-$rid
dotnet publish "$top/agents/CtdbPcmk.Agents/CtdbPcmk.Agents.csproj" -c "$config" -r "$rid" -o "$agents_out" -nologo -v q
install -m 0755 "$agents_out/ctdb-ocf" "$stage/ctdb-ocf"
"$stage/ctdb-ocf" --list > "$stage/agents"
for agent in $(cat "$stage/agents"); do
    cp "$top/ocf-metadata/$agent.xml" "$stage/ocf-metadata/"
done
cp "$top/packaging/ctdb-pcmk.conf" "$top/packaging/ctdb-pcmkd.service" "$top/packaging/ctdb-pcmk.tmpfiles" \
    "$top/packaging/ctdb-pcmkd.8" "$top/packaging/examples/pcs-cluster.sh" "$top/README.md" "$stage/"

rpmbuild -bb --quiet --define "stage $stage" --define "_topdir $out/build" --define "_rpmdir $out" \
    "$top/packaging/ctdb-pcmk.spec"
rm -rf "$out/build"
rpms=("$out"/*/ctdb-pcmk-*.rpm)
rpmlint --config "$top/packaging/rpmlint.toml" "${rpms[@]}"
ls -l "${rpms[@]}"
