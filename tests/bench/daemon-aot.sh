#!/usr/bin/env bash
# The Native AOT daemon (the packaged one) beside the JIT daemon (the one the tests iterate on)
# and the real ctdbd 4.17, single-node clusters from tests/local-daemons:
#   - start-up: from starting the harness's "start 0" to the first answered PING, RUNS times;
#   - the single-node bench (PING, FETCH, TRANS3_COMMIT, idle RSS with 25 DBs), run twice with
#     the same client: JIT daemon vs ctdbd, then AOT daemon vs ctdbd (each with its own ctdbd
#     column: the two runs are minutes apart on a shared host).
# Writes tests/bench/results/daemon-aot.{md,json}.
# Usage: tests/bench/daemon-aot.sh [BUILD-CONFIGURATION]   (the build must exist: make bench
# builds first; the AOT daemon is published here by packaging/publish-daemon-aot.sh).
# STARTUP_RUNS sets the start-up runs per daemon (default 7).
set -uo pipefail
config=${1:-Release}
top=$(cd "$(dirname "$0")/../.." && pwd)
bench=$top/tests/CtdbPcmk.Bench/bin/$config/net10.0/ctdbpcmk-bench
harness=$top/tests/local-daemons
results=$top/tests/bench/results
jit=$top/daemon/CtdbPcmk.Daemon/bin/$config/net10.0/ctdb-pcmkd
aot=$top/artifacts/daemon-aot/ctdb-pcmkd
runs=${STARTUP_RUNS:-7}
work=$(mktemp -d /tmp/ctdbpcmk-aot.XXXXXX)

cleanup() {
    local dir
    for dir in "$work/jit" "$work/aot" "$work/ctdb"; do
        [ -d "$dir" ] || continue
        CTDBPCMK_DAEMON=$(cat "$dir.bin" 2>/dev/null) "$harness" "$dir" teardown >/dev/null 2>&1 ||
            echo "daemon-aot: teardown of $dir failed" >&2
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -x "$bench" ] || { echo "daemon-aot: $bench not built (run make bench)" >&2; exit 1; }
[ -x "$jit" ] || { echo "daemon-aot: $jit not built (run make bench)" >&2; exit 1; }
"$top/packaging/publish-daemon-aot.sh" "$(dirname "$aot")" "$config" || exit 1

# harness NAME ARGS...: the local-daemons harness on cluster NAME with NAME's daemon binary.
harness() {
    local name=$1
    shift
    CTDBPCMK_DAEMON=$(cat "$work/$name.bin") "$harness" "$work/$name" "$@"
}

for name in jit aot ctdb; do
    impl=ours bin=""
    case $name in jit) bin=$jit ;; aot) bin=$aot ;; ctdb) impl=ctdb ;; esac
    echo "$bin" > "$work/$name.bin"
    harness "$name" setup 1 --impl "$impl" >/dev/null || exit 1
done

# Start-up, alternating the daemons run by run.
for ((r = 1; r <= runs; r++)); do
    for name in jit aot ctdb; do
        ms=$(CTDBPCMK_DAEMON=$(cat "$work/$name.bin") "$bench" first-ping --socket "$(harness "$name" socket 0)" \
            -- "$harness" "$work/$name" start 0 2>"$work/$name.err" | tail -n 1) ||
            { echo "daemon-aot: $name start-up failed: $(cat "$work/$name.err")" >&2; exit 1; }
        echo "$ms" >> "$work/$name.startup"
        harness "$name" stop 0 >/dev/null || exit 1
    done
done

for name in jit aot ctdb; do harness "$name" start 0 >/dev/null || exit 1; done
target() { echo --target "$1" --socket "$(harness "$2" socket 0)" --pid "$(harness "$2" pid 0)"; }
info=(--info "command=tests/bench/daemon-aot.sh $config" --info "configuration=$config"
      --info "version.ctdbd=$(dpkg-query -W -f='${Version}' ctdb 2>/dev/null || echo unknown)"
      --info "version.ctdb-pcmkd=$(git -C "$top" describe --always --dirty 2>/dev/null || echo unknown)")
# shellcheck disable=SC2046
"$bench" --out "$work/run-jit" $(target ours jit) $(target ctdbd ctdb) "${info[@]}" > /dev/null || exit 1
# shellcheck disable=SC2046
"$bench" --out "$work/run-aot" $(target ours aot) $(target ctdbd ctdb) "${info[@]}" > /dev/null || exit 1

runtime=$(dirname "$(dotnet --list-runtimes | awk '/Microsoft.NETCore.App 10\./ { r = $3 "/" $2 } END { gsub(/[][]/, "", r); print r }')/x")
sizes="jit=$(du -sb "$(dirname "$jit")" | cut -f1) runtime=$(du -sb "$runtime" 2>/dev/null | cut -f1) aot=$(stat -c %s "$aot")"
python3 - "$work" "$results" "$runs" "$sizes" <<'PY'
import json, os, statistics, sys
work, results, runs, sizes = sys.argv[1], sys.argv[2], int(sys.argv[3]), dict(kv.split("=") for kv in sys.argv[4].split())
jit = json.load(open(f"{work}/run-jit/single-node.json"))
aot = json.load(open(f"{work}/run-aot/single-node.json"))
startup = {n: [float(x) for x in open(f"{work}/{n}.startup").read().split()] for n in ("jit", "aot", "ctdb")}
def fmt(v):
    return "–" if v is None else (f"{v:.0f}" if abs(v) >= 1000 else f"{v:.1f}")
rows = [{"metric": f"Start-up to first answered PING, median of {runs} (ms)",
         "jit": statistics.median(startup["jit"]), "ctdbd_jit_run": statistics.median(startup["ctdb"]),
         "aot": statistics.median(startup["aot"]), "ctdbd_aot_run": statistics.median(startup["ctdb"])}]
for a, b in zip(jit["rows"], aot["rows"]):
    assert a["metric"] == b["metric"]
    rows.append({"metric": a["metric"], "jit": a["ours"], "ctdbd_jit_run": a["ctdbd"],
                 "aot": b["ours"], "ctdbd_aot_run": b["ctdbd"]})
wanted = ("median latency", "ops/s", "Idle RSS", "Start-up")
md = ["# The Native AOT daemon beside the JIT daemon and ctdbd 4.17", "",
      f"Command: `{jit['command']}`  ",
      f"Date: {aot['date']}  ",
      f"Machine: {jit['nproc']} CPUs ({jit['cpu']}), kernel {jit['kernel']}, load average at start {jit['loadavg']}  ",
      f"Version ctdbd: {jit['version.ctdbd']}  ",
      f"Version ctdb-pcmkd: {jit['version.ctdb-pcmkd']}  ",
      f"Daemon on disk: JIT {int(sizes['jit']) / 1e6:.1f} MB (its directory) plus the .NET 10 runtime "
      f"({int(sizes.get('runtime') or 0) / 1e6:.1f} MB), "
      f"AOT {int(sizes['aot']) / 1e6:.1f} MB (one file, no runtime)  ", "",
      "| metric | ours JIT | ctdbd (JIT run) | ours AOT | ctdbd (AOT run) | AOT/JIT |",
      "|---|---:|---:|---:|---:|---:|"]
for r in rows:
    if not any(w in r["metric"] for w in wanted):
        continue
    ratio = r["aot"] / r["jit"] if r["jit"] and r["aot"] is not None else None
    md.append(f"| {r['metric']} | {fmt(r['jit'])} | {fmt(r['ctdbd_jit_run'])} | {fmt(r['aot'])} | "
              f"{fmt(r['ctdbd_aot_run'])} | {'–' if ratio is None else f'{ratio:.2f}'} |")
md += ["", "Start-up runs (ms): " + "; ".join(f"{n}: {', '.join(f'{x:.0f}' for x in v)}" for n, v in startup.items()) + ".", "",
       "## Method", "",
       "- Start-up: `ctdbpcmk-bench first-ping` starts the harness's `start 0` (tests/local-daemons: a",
       "  single-node cluster in its own network namespace, logging to a file) and PINGs the node's socket",
       "  once a millisecond on a new connection until one is answered; the three daemons alternate run by run,",
       "  each stopped cleanly in between. ctdbd 4.17 runs in its test mode (CTDB_TEST_MODE) and answers PING",
       "  before its start-up event scripts finish. One measurement per daemon: the start-up row shows",
       "  the same ctdbd figure in both ctdbd columns.",
       "- The other rows are the single-node bench (tests/bench/run, method in single-node.md), run twice with",
       "  the same client: JIT daemon vs ctdbd, then AOT daemon vs ctdbd; p90/p99 are in the JSON file.",
       "- AOT: `packaging/publish-daemon-aot.sh` (Native AOT, the AotTargetFramework of Directory.Build.props),",
       "  the binary packaged as /usr/sbin/ctdb-pcmkd by `make rpm`. JIT: bin/CONFIG/net10.0 of `make build`.",
       "- The host is shared; figures vary by tens of percent between runs."]
os.makedirs(results, exist_ok=True)
open(f"{results}/daemon-aot.md", "w").write("\n".join(md) + "\n")
json.dump({"command": jit["command"], "date": aot["date"], "startup_ms": startup, "sizes_bytes": sizes,
           "rows": rows}, open(f"{results}/daemon-aot.json", "w"), indent=2, ensure_ascii=False)
print("\n".join(md))
PY
