#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Disk faults under node 1's database directories (a small loop-mounted ext4, in a private mount
# namespace): full, space returned, read-only after an ext4 error, repaired; on ctdb-pcmkd and on
# the real ctdbd 4.17. Writes tests/faults/results/disk.md.
#
#   tests/faults/disk.sh [CONFIG]        environment: FAULTS_IMPLS (default "ours ctdb"),
#                                        CTDBPCMK_DAEMON (our daemon binary)
set -uo pipefail
config=${1:-Release}
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tests/faults/common.sh"
impls=${FAULTS_IMPLS:-ours ctdb}
out=$top/tests/faults/results/disk.md
frag=$(mktemp)
trap 'rm -f "$frag"' EXIT
rc=0
for impl in $impls; do
    echo "== disk, $impl"
    faults_bin disk --impl "$impl" --report "$frag" || rc=1
done
faults_results "$out" "Disk faults" "FAULTS_IMPLS=\"$impls\" tests/faults/disk.sh $config" "$frag"
exit $rc
