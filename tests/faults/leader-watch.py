#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Watches who leads in a box cluster (tests/pcmk-box), from every node, for the whole of a run.

  leader-watch.py sample BOXDIR OUT.csv [INTERVAL]   until SIGTERM: every INTERVAL seconds (0.5),
        from each running node, three views, one CSV row each:
          daemon  the node's ctdb-pcmkd (PCMK_GET_LEADER_STATE on its socket, reached through
                  /proc/PID/root): leader, term, generation, recovery mode, recovered
          status  the real `ctdb status` tool inside the node: Leader and Generation
          crm     crm_mon inside the node: the node(s) of ctdb-clone's promoted instance and
                  whether the node's partition has quorum
  leader-watch.py settled BOXDIR   exit 0 when the three daemons answer, recovered, under one
        leader in one generation (prints their states)
  leader-watch.py check OUT.csv [FROM TO]   asserts that no two nodes acted as leader in the same
        generation at the same time or in the same term (daemon rows: leader = itself, recovery
        mode NORMAL, recovered; status rows: Leader = itself, recovery mode NORMAL), between the epoch times FROM and TO when given; prints a summary and
        exits 1 on a violation.

Rows: time,node,source,leader,generation,term,recmode,recovered,extra (node = 1..3; leader is
a node number 1..3, "-" unknown; PNN = node - 1 in the box).
"""
import csv
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET

MAGIC = 0x43544442
REQ_CONTROL = 7
REPLY_CONTROL = 8
CURRENT_NODE = 0xF0000001
UNKNOWN_PNN = 0xFFFFFFFF
GET_LEADER_STATE = 0x43500002

stop = threading.Event()
lock = threading.Lock()


def init_pid(box, node):
    try:
        with open(f"{box}/n{node}/init.pid") as f:
            pid = int(f.read().strip())
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"node-init" not in f.read():
                return None
        return pid
    except (OSError, ValueError):
        return None


def leader_state(pid, timeout=1.0):
    """(leader node, term, generation, recmode, recovered) from the node's daemon, or None."""
    path = f"/proc/{pid}/root/run/ctdb/ctdbd.socket"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
        body = struct.pack("<IIQIII", GET_LEADER_STATE, 0, 0, 0, 0, 0)
        length = 32 + len(body)
        pad = (8 - length % 8) % 8
        hdr = struct.pack("<IIIIIIII", length + pad, MAGIC, 1, 0, REQ_CONTROL, CURRENT_NODE, UNKNOWN_PNN, 1)
        s.sendall(hdr + body + b"\0" * pad)
        buf = b""
        while len(buf) < 4 or len(buf) < struct.unpack_from("<I", buf)[0]:
            chunk = s.recv(4096)
            if not chunk:
                return None
            buf += chunk
        op = struct.unpack_from("<I", buf, 16)[0]
        if op != REPLY_CONTROL:
            return None
        status, datalen = struct.unpack_from("<iI", buf, 32)
        if status != 0 or datalen < 28:
            return None
        pnn, leader, term, gen, recmode, _flags, recovered = struct.unpack_from("<IIIIIII", buf, 44)
        return ("-" if leader == UNKNOWN_PNN else str(leader + 1), term, gen,
                "NORMAL" if recmode == 0 else "ACTIVE", "yes" if recovered else "no")
    except OSError:
        return None
    finally:
        s.close()


def in_node(pid, argv, timeout):
    try:
        r = subprocess.run(["nsenter", "-t", str(pid), "-m", "-u", "-n", "-p", "--", "timeout", str(timeout)] + argv,
                           capture_output=True, text=True, timeout=timeout + 2)
        return r.returncode, r.stdout
    except subprocess.TimeoutExpired:
        return 124, ""


def ctdb_status(pid):
    rc, out = in_node(pid, ["ctdb", "status"], 3)
    leader = gen = "-"
    mode = "-"
    for line in out.splitlines():
        if line.startswith("Generation:"):
            gen = line.split(":", 1)[1].strip()
        elif line.startswith("Leader:") or line.startswith("Recovery master:"):
            v = line.split(":", 1)[1].strip()
            leader = str(int(v) + 1) if v.isdigit() else "-"
        elif line.startswith("Recovery mode:"):
            mode = line.split(":", 1)[1].split()[0]
    return rc, leader, gen, mode


def crm_view(pid):
    rc, out = in_node(pid, ["crm_mon", "-1", "--output-as=xml"], 4)
    if rc != 0 or not out:
        return None
    try:
        root = ET.fromstring(out)
    except ET.ParseError:
        return None
    dc = root.find("summary/current_dc")
    quorum = dc is not None and dc.get("with_quorum") == "true"
    promoted = []
    for clone in root.iter("clone"):
        if clone.get("id") != "ctdb-clone":
            continue
        for r in clone.iter("resource"):
            if r.get("role") in ("Promoted", "Master"):
                promoted += [n.get("name", "").lstrip("n") for n in r.findall("node")]
    return ("+".join(sorted(promoted)) or "-", "quorum" if quorum else "noquorum")


def write(w, row):
    with lock:
        w.writerow(row)


def watch_node(box, node, w, interval):
    n = 0
    while not stop.is_set():
        t0 = time.time()
        pid = init_pid(box, node)
        if pid is not None:
            st = leader_state(pid)
            if st is not None:
                write(w, [f"{t0:.3f}", node, "daemon", st[0], st[2], st[1], st[3], st[4], ""])
            else:
                write(w, [f"{t0:.3f}", node, "daemon", "-", "-", "-", "-", "-", "no answer"])
            rc, leader, gen, mode = ctdb_status(pid)
            write(w, [f"{time.time():.3f}", node, "status", leader, gen, "-", mode, "-", f"rc={rc}"])
            if n % 2 == 0:
                v = crm_view(pid)
                if v is not None:
                    write(w, [f"{time.time():.3f}", node, "crm", v[0], "-", "-", "-", "-", v[1]])
        n += 1
        stop.wait(max(0.05, interval - (time.time() - t0)))


def sample(box, out, interval):
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    with open(out, "a", newline="", buffering=1) as f:
        w = csv.writer(f)
        threads = [threading.Thread(target=watch_node, args=(box, n, w, interval), daemon=True) for n in (1, 2, 3)]
        for t in threads:
            t.start()
        while not stop.is_set():
            stop.wait(0.5)
            f.flush()
        for t in threads:
            t.join(10)
    return 0


def two_leaders(nodes):
    """Two nodes led one generation at once: their claims overlap in time, or share a term.

    A leader that hung (SIGSTOP) stops answering, and the node promoted after it claims the same
    generation until its first recovery makes a new one: one after the other, in two terms, which
    is how leadership passes, not two leaders acting together."""
    spans = []
    for node, claims in nodes.items():
        times = [t for t, _ in claims]
        spans.append((node, min(times), max(times), {term for _, term in claims if term not in ("-", "")}))
    for i, (a, a0, a1, aterms) in enumerate(spans):
        for b, b0, b1, bterms in spans[i + 1:]:
            if max(a0, b0) <= min(a1, b1) or aterms & bterms:
                return True
    return False


def check(path, t_from=None, t_to=None):
    rows = []
    with open(path, newline="") as f:
        for r in csv.reader(f):
            if len(r) < 9:
                continue
            t = float(r[0])
            if (t_from is not None and t < t_from) or (t_to is not None and t > t_to):
                continue
            rows.append(r)
    acting = {}  # (source, generation) -> set of nodes acting as leader in it
    for r in rows:
        t, node, source, leader, gen = float(r[0]), r[1], r[2], r[3], r[4]
        if gen in ("-", "") or leader != node:
            continue
        if source == "daemon" and not (r[6] == "NORMAL" and r[7] == "yes"):
            continue
        # A node in recovery mode acts on nothing (commits and record updates wait): a leader
        # cut off and the one promoted after it both show the old generation in recovery mode
        # until the new leader's first recovery makes a new one.
        if source == "status" and r[6] != "NORMAL":
            continue
        if source not in ("daemon", "status"):
            continue
        acting.setdefault((source, gen), {}).setdefault(node, []).append((t, r[5]))
    violations = [(k, v) for k, v in acting.items() if two_leaders(v)]
    # Informational: instants at which two nodes' daemons both called themselves leader (any generation).
    claims = {}
    for r in rows:
        if r[2] == "daemon" and r[3] == r[1]:
            claims.setdefault(round(float(r[0])), set()).add(r[1])
    overlap = sorted(t for t, s in claims.items() if len(s) > 1)
    promoted = {}
    for r in rows:
        if r[2] == "crm":
            promoted.setdefault(round(float(r[0]) / 2), {})[r[1]] = (r[3], r[8])
    crm_two = sum(1 for v in promoted.values() if len({p for p, q in v.values() if p != "-" and q == "quorum"}) > 1)
    samples = sum(1 for r in rows if r[2] == "daemon" and r[3] != "-")
    gens = {k[1] for k in acting}
    print(f"samples={len(rows)} daemon-answers={samples} generations-with-leader={len(gens)} "
          f"two-leaders-same-generation={len(violations)} seconds-two-daemons-claiming={len(overlap)} "
          f"quorate-views-disagreeing-on-promoted={crm_two}")
    for (source, gen), nodes in violations:
        desc = ", ".join(f"n{n} {min(t for t, _ in ts):.3f}-{max(t for t, _ in ts):.3f}" for n, ts in sorted(nodes.items()))
        print(f"VIOLATION: {source} view: generation {gen} led by {len(nodes)} nodes: {desc}")
    return 1 if violations else 0


def settled(box):
    states = []
    for n in (1, 2, 3):
        pid = init_pid(box, n)
        st = leader_state(pid, 3.0) if pid is not None else None
        print(f"n{n}: {st}")
        states.append(st)
    if any(st is None or st[4] != "yes" or st[3] != "NORMAL" or st[0] == "-" for st in states):
        return 1
    return 0 if len({(st[0], st[2]) for st in states}) == 1 else 1


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "settled":
        return settled(sys.argv[2])
    if len(sys.argv) >= 4 and sys.argv[1] == "sample":
        return sample(sys.argv[2], sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0.5)
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        a = [float(x) for x in sys.argv[3:5]]
        return check(sys.argv[2], *(a + [None, None])[:2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
