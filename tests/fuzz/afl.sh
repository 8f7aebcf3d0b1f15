#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Coverage-guided fuzzing of the harness targets (tests/CtdbPcmk.Fuzz) with afl++ through
# SharpFuzz: publishes the harness, instruments the product assemblies in the published copy
# (the local tool SharpFuzz.CommandLine, .config/dotnet-tools.json), runs afl-fuzz for SECONDS
# per target from the committed corpus, and copies every crash and hang into
# tests/CtdbPcmk.Fuzz/regressions/<target>/ (replayed by tests/CtdbPcmk.Fuzz.Tests).
#
#   tests/fuzz/afl.sh [SECONDS] [TARGET...]     default: 120 s for each default target
#
# Work files: artifacts/fuzz/ (out/<target>/ is afl's output directory). The daemon targets
# run in a network namespace of their own (unshare -n). Environment: CONFIG (Release);
# FUZZ_KEEP_BIN=1 reuses the instrumented harness of the previous run.
set -euo pipefail

repo=$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)
seconds=${1:-120}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(packet framing control-data rec-buffer client node ctdb-conf nodes-file ganesha-conf)
config=${CONFIG:-Release}
work=$repo/artifacts/fuzz
bin=$work/bin
corpus=$repo/tests/CtdbPcmk.Fuzz/corpus
regressions=$repo/tests/CtdbPcmk.Fuzz/regressions

command -v afl-fuzz > /dev/null || { echo "afl.sh: afl-fuzz missing (packaging/install-deps.sh installs afl++)" >&2; exit 1; }
cd "$repo"
if [ "${FUZZ_KEEP_BIN:-0}" != 1 ] || [ ! -e "$bin/.instrumented" ]; then
    rm -rf "$bin"
    dotnet publish tests/CtdbPcmk.Fuzz/CtdbPcmk.Fuzz.csproj -c "$config" -o "$bin" -nologo -v q
    dotnet tool restore > /dev/null
    for asm in CtdbPcmk.Protocol CtdbPcmk.Transport CtdbPcmk.Server ctdb-pcmkd CtdbPcmk.Nfs; do
        dotnet sharpfuzz "$bin/$asm.dll"
    done
    touch "$bin/.instrumented"
fi

export AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1

seeds_of() {
    case $1 in
        packet | framing | control-data | client | node | ctdb-conf | nodes-file | ganesha-conf | header | req-* | reply-*)
            echo "$corpus/$1" ;;
        *) echo "$corpus/data" ;;
    esac
}

summary=()
for t in "${targets[@]}"; do
    in=$(seeds_of "$t")
    [ -d "$in" ] || { echo "afl.sh: no corpus for $t ($in)" >&2; exit 1; }
    out=$work/out/$t
    rm -rf "$out"
    mkdir -p "$out"
    timeout=2000
    wrap=()
    # The daemon targets: a namespace of their own, its loopback up (the daemon listens on it).
    case $t in client | node) timeout=20000; wrap=(unshare -n sh -c 'ip link set lo up && exec "$@"' sh) ;; esac
    echo "afl.sh: $t for ${seconds}s from $in"
    "${wrap[@]}" afl-fuzz -i "$in" -o "$out" -t "$timeout" -m none -V "$seconds" \
        -- dotnet "$bin/CtdbPcmk.Fuzz.dll" afl "$t" > "$out/afl.log" 2>&1 || {
        echo "afl.sh: afl-fuzz $t failed:" >&2; tail -20 "$out/afl.log" >&2; exit 1; }
    stats=$out/default/fuzzer_stats
    found=0
    for kind in crashes hangs; do
        for f in "$out"/default/$kind/id:*; do
            [ -e "$f" ] || continue
            mkdir -p "$regressions/$t"
            cp "$f" "$regressions/$t/$kind-$(sha1sum "$f" | cut -c1-16)"
            found=$((found + 1))
        done
    done
    get() { sed -n "s/^$1 *: *//p" "$stats"; }
    line="$t: $(get execs_done) execs ($(get execs_per_sec)/s), corpus $(get corpus_count), edges $(get edges_found), stability $(get stability), crashes $(get saved_crashes), hangs $(get saved_hangs)"
    echo "afl.sh: $line"
    summary+=("$line")
done
printf '%s\n' "${summary[@]}" > "$work/summary.txt"
echo "afl.sh: summary in $work/summary.txt"
printf '%s\n' "${summary[@]}"
