#!/usr/bin/env bash
# PacketDotNet against our own packet builders (agents/CtdbPcmk.Packets): the packets the agents
# and the tracker send (gratuitous ARP, IPv6 neighbour advertisement, TCP tickle ACK and RST over
# IPv4 and IPv6) built both ways, in Native AOT programs built like the agents:
#   - bytes: both builds of tests/bench/packets print every packet; they must be identical;
#   - size: that program and the agents' ctdb-ocf, each published with our builders and with
#     -p:CtdbPcmkPackets=PacketDotNet (tests/bench/packets/PacketDotNet.targets);
#   - start-up (hyperfine -N, medians): the program building one of each packet, the same program
#     exiting at once, `vip meta-data`; as root also vip start in a throw-away network namespace
#     (the real agent adding an address and sending one gratuitous ARP or neighbour advertisement);
#   - in process: the first build of each packet in a fresh process, and ns and bytes allocated
#     per packet over ITERATIONS builds (medians over 11 processes);
#   - the Native AOT trim warnings PacketDotNet brings (PacketDotNet.targets suppresses them);
#   - SharpPcap: as root, sending one gratuitous ARP from a fresh process through the agents'
#     AF_PACKET socket and through SharpPcap (libpcap), -p:PacketSend=SharpPcap.
# Writes tests/bench/results/packetdotnet.md.
#
#   tests/bench/packetdotnet.sh [CONFIG]   (PACKET_BENCH_RUNS: start-up runs per command, default
#                                          300; PACKET_BENCH_ITERATIONS: default 200000)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
config=${1:-Release}
runs=${PACKET_BENCH_RUNS:-300}
iterations=${PACKET_BENCH_ITERATIONS:-200000}
rid=linux-$(uname -m | sed 's/x86_64/x64/; s/aarch64/arm64/')
work=$(mktemp -d /tmp/ctdbpcmk-packets.XXXXXX)
ns=""
cleanup() {
    [ -z "$ns" ] || ip netns del "$ns" 2>/dev/null || true
    [ -n "${PACKET_BENCH_KEEP:-}" ] || rm -rf "$work"
}
trap cleanup EXIT
results=$top/tests/bench/results
mkdir -p "$results"

# publish NAME PROJECT [ARGS...]: Native AOT publish into $work/NAME, with a build tree of its own
# (the two variants share agents/CtdbPcmk.Packets and must not share its obj/).
publish() {
    local name=$1 project=$2; shift 2
    dotnet publish "$top/$project" -c "$config" -r "$rid" --artifacts-path "$work/build-$name" \
        -o "$work/$name" -nologo -v q -clp:NoSummary "$@"
}
bench=tests/bench/packets/PacketStartup.csproj
agents=agents/CtdbPcmk.Agents/CtdbPcmk.Agents.csproj
pdn=-p:CtdbPcmkPackets=PacketDotNet
echo "publishing (5 Native AOT builds)..." >&2
publish bench-ours $bench >&2
publish bench-pdn $bench $pdn >&2
publish agents-ours $agents >&2
publish agents-pdn $agents $pdn >&2
publish bench-pcap $bench -p:PacketSend=SharpPcap >&2
# What PacketDotNet.targets suppresses: the summary warning, then the warnings behind it.
show=(-p:PacketDotNetTrimWarnings=show -p:TreatWarningsAsErrors=false)
{
    publish warnings $bench $pdn "${show[@]}" 2>&1 || true
    publish warnings $bench $pdn "${show[@]}" -p:TrimmerSingleWarn=false 2>&1 || true
} > "$work/warnings.log"
grep -o 'warning IL[0-9]*: [^[]*' "$work/warnings.log" | sed 's/ *$//' | sort -u > "$work/warnings.txt" || true
for v in ours pdn; do
    ln -s ctdb-ocf "$work/agents-$v/vip"
    "$work/bench-$v/packet-startup" hex > "$work/$v.hex"
done

# Start-up: three rounds, the order of ours and PacketDotNet swapped each round; each command's
# median over all its runs.
cmds=()
for c in "bench-%s/packet-startup empty" "bench-%s/packet-startup" "agents-%s/vip meta-data"; do
    cmds+=("$work/$(printf "$c" ours)" "$work/$(printf "$c" pdn)")
done
for round in 1 2 3; do
    order=("${cmds[@]}")
    if [ $round = 2 ]; then
        order=()
        for ((i = 0; i < ${#cmds[@]}; i += 2)); do order+=("${cmds[i+1]}" "${cmds[i]}"); done
    fi
    hyperfine -N --warmup 10 --runs $(( (runs + 2) / 3 )) --style none \
        --export-json "$work/startup-$round.json" "${order[@]}" >/dev/null
done

# vip start in a network namespace: add the address and send one announcement, synchronously.
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null; then
    ns="ctdbpcmk-pkt-$$-$RANDOM"
    ip netns add "$ns"
    if ! ip netns exec "$ns" bash -s "$work" "$runs" <<'NS' >&2
set -euo pipefail
work=$1 runs=$2
ip link set lo up
ip link add v0 type veth peer name v1
ip link set v0 up
ip link set v1 up
ip addr add 192.0.2.1/24 dev v0
ip -6 addr add 2001:db8::1/64 dev v0 nodad
export OCF_ROOT=/usr/lib/ocf OCF_RA_VERSION_MAJOR=1 OCF_RA_VERSION_MINOR=1 OCF_RESKEY_CRM_meta_timeout=20000
export OCF_RESOURCE_INSTANCE=vip OCF_RESKEY_nic=v0 OCF_RESKEY_arp_count=1 OCF_RESKEY_arp_bg=false
for family in 4 6; do
    if [ $family = 4 ]; then
        export OCF_RESKEY_ip=192.0.2.50 OCF_RESKEY_cidr_netmask=24
    else
        export OCF_RESKEY_ip=2001:db8::50 OCF_RESKEY_cidr_netmask=64 OCF_RESKEY_nodad=true
    fi
    for round in 1 2; do
        a=ours b=pdn
        [ $round = 1 ] || { a=pdn b=ours; }
        hyperfine -N --warmup 3 --runs $(( (runs / 3 + 1) / 2 )) --style none \
            --export-json "$work/vip$family-$round.json" \
            --prepare "$work/agents-$a/vip stop" "$work/agents-$a/vip start" \
            --prepare "$work/agents-$b/vip stop" "$work/agents-$b/vip start" >/dev/null 2>"$work/vip.err"
        "$work/agents-ours/vip" stop 2>/dev/null
    done
done
for round in 1 2; do
    a=ours b=pcap
    [ $round = 1 ] || { a=pcap b=ours; }
    hyperfine -N --warmup 5 --runs $(( (runs / 3 + 1) / 2 )) --style none \
        --export-json "$work/send-$round.json" \
        "$work/bench-$a/packet-startup send v0" "$work/bench-$b/packet-startup send v0" >/dev/null
done
NS
    then
        echo "packetdotnet: the vip start measurement failed" >&2
    fi
fi

# In process: medians over 11 fresh processes.
for v in ours pdn; do
    for i in $(seq 11); do
        "$work/bench-$v/packet-startup" measure "$iterations"
    done > "$work/measure-$v"
done

python3 - "$work" "$config" "$runs" "$iterations" "$rid" > "$results/packetdotnet.md.new" <<'PY'
import glob, json, os, statistics, subprocess, sys
work, config, runs, iterations, rid = sys.argv[1:]
kinds = ["garp", "na", "ack4", "ack6", "rst4", "rst6"]
names = {"garp": "gratuitous ARP", "na": "neighbour advertisement", "ack4": "tickle ACK IPv4",
         "ack6": "tickle ACK IPv6", "rst4": "RST IPv4", "rst6": "RST IPv6"}
MiB = 1024 * 1024

def times(pattern):
    """Every run's time (s) per command over the JSON files matching pattern, keyed by command."""
    out = {}
    for f in sorted(glob.glob(os.path.join(work, pattern))):
        for r in json.load(open(f))["results"]:
            out.setdefault(r["command"], []).extend(r["times"])
    return out

def variant(command):
    return "pdn" if "-pdn/" in command else "pcap" if "-pcap/" in command else "ours"

def key(command):
    return command.replace("-pdn/", "-X/").replace("-ours/", "-X/")

print("# PacketDotNet against our own packet builders")
print()
print(f"Command: `tests/bench/packetdotnet.sh {config}`, "
      f"{subprocess.run(['date', '-u', '+%Y-%m-%d %H:%M UTC'], capture_output=True, text=True).stdout.strip()}, "
      f"{os.cpu_count()} CPUs (`nproc`: {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()}), "
      f"kernel {os.uname().release}, {rid}, PacketDotNet 1.4.8, Native AOT (net9 ILCompiler) built like the agents.")
print()
print("ours: `agents/CtdbPcmk.Packets`; PacketDotNet: the same interface built on PacketDotNet "
      "(`tests/bench/packets/PacketDotNet/`), swapped in by `-p:CtdbPcmkPackets=PacketDotNet`. "
      "Ratio: PacketDotNet / ours.")

ours_hex = open(os.path.join(work, "ours.hex")).read()
pdn_hex = open(os.path.join(work, "pdn.hex")).read()
print()
print("## Bytes")
print()
if ours_hex == pdn_hex:
    print(f"Identical: the {len(ours_hex.splitlines())} packets printed by both Native AOT programs are the same "
          "bytes, checksums included (also checked on random inputs by "
          "`tests/CtdbPcmk.Agents.Tests/PacketDotNetEquivalenceTests.cs`).")
else:
    print("DIFFERENT:")
    print()
    print("```")
    for a, b in zip(ours_hex.splitlines(), pdn_hex.splitlines()):
        print("ours " + a)
        print("pdn  " + b)
    print("```")

print()
print("## Native AOT binary size (stripped)")
print()
print("| binary | ours | PacketDotNet | ratio | difference |")
print("|---|---|---|---|---|")
for label, path in [("`ctdb-ocf` (all agents)", "agents-%s/ctdb-ocf"), ("`packet-startup` (tests/bench/packets)", "bench-%s/packet-startup")]:
    o = os.path.getsize(os.path.join(work, path % "ours"))
    p = os.path.getsize(os.path.join(work, path % "pdn"))
    print(f"| {label} | {o / MiB:.2f} MiB | {p / MiB:.2f} MiB | {p / o:.2f} | +{(p - o) / 1024:.0f} KiB |")

print()
print(f"## Start-up (hyperfine -N, median of {runs} runs in 3 rounds, order swapped in the second)")
print()
print("| command | ours ms | PacketDotNet ms | ratio | difference ms |")
print("|---|---|---|---|---|")
t = times("startup-*.json")
med = {(key(c), variant(c)): statistics.median(ts) * 1000 for c, ts in t.items()}
rows = [("bench-X/packet-startup empty", "`packet-startup empty` (start and exit)"),
        ("bench-X/packet-startup", "`packet-startup` (start, build one of each packet, exit)"),
        ("agents-X/vip meta-data", "`vip meta-data` (the agents' binary)")]
for command, label in rows:
    o, p = med[(os.path.join(work, command), "ours")], med[(os.path.join(work, command), "pdn")]
    print(f"| {label} | {o:.2f} | {p:.2f} | {p / o:.2f} | {p - o:+.2f} |")
build = {v: med[(os.path.join(work, rows[1][0]), v)] - med[(os.path.join(work, rows[0][0]), v)] for v in ("ours", "pdn")}
print()
print(f"Building the six packets in a fresh process, start-up included (`packet-startup` minus "
      f"`packet-startup empty`): ours {build['ours']:+.2f} ms, PacketDotNet {build['pdn']:+.2f} ms.")

vip = {fam: times(f"vip{fam}-*.json") for fam in (4, 6)}
if any(vip.values()):
    print()
    print("## The real agent: `vip start` (as root, veth in a network namespace)")
    print()
    print("Adds the address and sends one announcement before returning (arp_count=1, arp_bg=false; "
          "IPv6 with nodad=true); `vip stop` before each run. Median of "
          f"{sum(len(v) for v in vip[4].values()) // 2} runs each, in 2 rounds with the order swapped.")
    print()
    print("| action | ours ms | PacketDotNet ms | ratio | difference ms |")
    print("|---|---|---|---|---|")
    for fam, label in ((4, "vip start 192.0.2.50/24 (gratuitous ARP)"), (6, "vip start 2001:db8::50/64 (neighbour advertisement)")):
        m = {variant(c): statistics.median(ts) * 1000 for c, ts in vip[fam].items()}
        if len(m) == 2:
            print(f"| {label} | {m['ours']:.2f} | {m['pdn']:.2f} | {m['pdn'] / m['ours']:.2f} | {m['pdn'] - m['ours']:+.2f} |")

def measure(v):
    first, per, alloc = {}, {}, {}
    for line in open(os.path.join(work, f"measure-{v}")):
        f = line.split()
        if f[0] == "first":
            first.setdefault(f[1], []).append(float(f[2]))
        elif f[0] == "per":
            per.setdefault(f[1], []).append(float(f[2]))
            alloc.setdefault(f[1], []).append(float(f[3]))
    m = statistics.median
    return ({k: m(x) for k, x in first.items()}, {k: m(x) for k, x in per.items()}, {k: m(x) for k, x in alloc.items()})

fo, po, ao = measure("ours")
fp, pp, ap = measure("pdn")
print()
print(f"## In process (`packet-startup measure {iterations}`, Stopwatch, median of 11 processes)")
print()
print("First use: the first build of each packet in a fresh process, in the order listed (the first "
      "row also pays for the code the others share). Per packet: mean over "
      f"{iterations} builds after 1000 warm-up builds, and managed bytes allocated per packet.")
print()
print("| packet | first use ours µs | PacketDotNet µs | ratio | per packet ours ns | PacketDotNet ns | ratio | allocated ours B | PacketDotNet B |")
print("|---|---|---|---|---|---|---|---|---|")
for k in kinds:
    print(f"| {names[k]} | {fo[k]:.1f} | {fp[k]:.1f} | {fp[k] / fo[k]:.1f} | {po[k]:.0f} | {pp[k]:.0f} | {pp[k] / po[k]:.1f} | {ao[k]:.0f} | {ap[k]:.0f} |")
so, sp = sum(fo.values()), sum(fp.values())
print(f"| all six, first use | {so:.1f} | {sp:.1f} | {sp / so:.1f} | | | | | |")

send = times("send-*.json")
if send:
    m = {variant(c): statistics.median(ts) * 1000 for c, ts in send.items()}
    o = os.path.getsize(os.path.join(work, "bench-ours/packet-startup"))
    p = os.path.getsize(os.path.join(work, "bench-pcap/packet-startup"))
    print()
    print("## SharpPcap: sending a frame (as root, veth in a network namespace)")
    print()
    print("`packet-startup send v0`: a fresh process builds one gratuitous ARP and sends it, through an "
          "AF_PACKET socket as the agents do (`agents/CtdbPcmk.Linux/PacketSocket.cs`, interface index from "
          "sysfs), or built with `-p:PacketSend=SharpPcap` through SharpPcap 6.3.1, which loads libpcap and "
          "finds the interface among libpcap's devices. Median of "
          f"{len(next(iter(send.values())))} runs each, in 2 rounds with the order swapped.")
    print()
    print("| | AF_PACKET (ours) | SharpPcap | ratio | difference |")
    print("|---|---|---|---|---|")
    print(f"| start, send one frame, exit | {m['ours']:.2f} ms | {m['pcap']:.2f} ms | {m['pcap'] / m['ours']:.2f} | {m['pcap'] - m['ours']:+.2f} ms |")
    print(f"| Native AOT size | {o / MiB:.2f} MiB | {p / MiB:.2f} MiB | {p / o:.2f} | +{(p - o) / 1024:.0f} KiB |")
    print()
    print("SharpPcap's Native AOT publish of this path passes with warnings as errors; the bench project "
          "ignores NU1603 only (SharpPcap asks for System.Text.Encoding.CodePages 9.0.5, which the package "
          "source lacks; 9.0.8 is used).")

print()
print("## Native AOT trim warnings with PacketDotNet")
print()
w = [l.strip() for l in open(os.path.join(work, "warnings.txt")) if l.strip()]
if w:
    print("Our build treats warnings as errors; `tests/bench/packets/PacketDotNet.targets` suppresses these "
          "for the measurement (with ours there are none):")
    print()
    for l in w:
        print(f"- ``{l}``")
else:
    print("None.")
PY
mv "$results/packetdotnet.md.new" "$results/packetdotnet.md"
cat "$results/packetdotnet.md"
