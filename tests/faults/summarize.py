#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes tests/faults/results/box.md from the rows box-faults.sh collected.

  summarize.py WORKDIR ROUNDS START LOAD_BEFORE LOAD_AFTER COMMAND
"""
import os
import statistics
import subprocess
import sys


def rows(path):
    if not os.path.exists(path):
        return []
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line.startswith("|"):
                out.append([c.strip() for c in line.strip("|").split("|")])
    return out


def num(v):
    try:
        return int(v)
    except ValueError:
        return None


def stat(values):
    ns = [n for n in (num(v) for v in values) if n is not None]
    if not ns:
        return "-"
    missing = len(values) - len(ns)
    s = f"{statistics.median(ns):.0f} / {max(ns)}"
    return s + (f" ({missing} none)" if missing else "")


def version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True, text=True).stdout
    except OSError:
        return "?"


def main():
    work, rounds, start, load0, load1, command = sys.argv[1:7]
    part = rows(os.path.join(work, "rows-partitions"))
    hung = rows(os.path.join(work, "rows-hung"))
    p = print
    p("# Fault suite on the Pacemaker box: partitions and hung nodes")
    p()
    p(f"Command: `{command}` (`make faults-box`; FAULTBOX_ROUNDS={rounds}). Started {start}; "
      f"{os.cpu_count()} CPUs, load {load0} before and {load1} after (the machine is shared).")
    p(f"corosync {version('corosync')}, pacemaker {version('pacemaker')}, ctdb {version('ctdb')}; "
      "corosync token 1000 ms, token_coefficient 0; the box's resources without NFS (`BOX_NFS=no`).")
    p()
    p("## Partitions (every process alive, links cut with nftables in the node's namespace)")
    p()
    p("Kinds: **isolate-leader** / **isolate-other**: every packet between one node (the leader's / "
      "another one's, holding an address when one does) and both other nodes dropped, both ways; "
      "**one-way**: packets from the leader to both other nodes dropped, while it still hears them; "
      "**one-link**: packets from the leader to one other node dropped, the other direction and the third "
      "node untouched (not transitive: Corosync's membership may not settle, see README; these rounds "
      "must lose nothing and never have two leaders in a generation, and whether the cluster was served "
      "meanwhile is recorded, not required). Times in ms from the cut. **novip**: the cut-off node holds no address; "
      "**serving**: both addresses held once, on other nodes than the cut-off one, answering TCP from the "
      "client, and a write started after the cut acknowledged on such a node (one-link: on any node, started 10 s or more after the cut). **minority acks**: writes "
      "(ctdb ptrans, once a second on every node) started on the cut-off node after the cut and "
      "acknowledged while it was still cut off / tried (+N: acknowledged only after healing, having "
      "waited through the partition in recovery mode). **lost**: acknowledged writes missing on a node after healing. **fenced**: "
      "successful fencings in stonith history during the round. **whole**: from healing (rule removal; "
      "with fencing the reboot has already healed) to three nodes online with every resource started. "
      "**2 leaders/gen**: generations in which two nodes acted as leader at the same time or in one term (leader watch; a hung leader, silent from its SIGSTOP on, and the node promoted after it, claiming its generation until its first recovery makes a new one, lead one after the other).")
    p()
    p("| box | kind | round | leader | cut | novip | serving | minority acks | acked writes | lost | fenced | whole | identical data | 2 leaders/gen | ok |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in part:
        p("| " + " | ".join(r) + " |")
    p()
    p("| box | kind | rounds | ok | novip median / max ms | serving median / max ms | whole median / max ms | minority acks | fencings |")
    p("|---|---|---|---|---|---|---|---|---|")
    keys = []
    for r in part:
        if (r[0], r[1]) not in keys:
            keys.append((r[0], r[1]))
    for box, kind in keys:
        rs = [r for r in part if r[0] == box and r[1] == kind and len(r) >= 15]
        oks = sum(1 for r in rs if r[-1] == "yes")
        acks = sum(num(r[7].split("/")[0]) or 0 for r in rs)
        fenced = sum(num(r[10]) or 0 for r in rs)
        p(f"| {box} | {kind} | {len(rs)} | {oks} | {stat([r[5] for r in rs])} | {stat([r[6] for r in rs])} | "
          f"{stat([r[11] for r in rs])} | {acks} | {fenced if box == 'fence' else '-'} |")
    p()
    p("## Hung daemons (SIGSTOP by PID), fencing enabled; the real ctdbd 4.17 alongside")
    p()
    p("Times in ms from SIGSTOP. **promoted**: crm_mon on a survivor shows a promoted instance that is "
      "not the hung daemon (another node's, or its node's restarted daemon, when the leader hung); **recovered**: `ctdb status` on that survivor in recovery mode NORMAL "
      "under that leader; **vips**: both addresses held once and answering TCP; **write**: a persistent "
      "write (ctdb ptrans) on the survivor acknowledged after the rest, i.e. the cluster serves again. "
      "**bound**: the sum of the configured timeouts the way back is made of (monitor interval and timeout "
      "of the hung instance's role, demote and promote for the leader, stop, stonith-timeout, the address "
      "group's starts), read from the live CIB. **node**: what became of the hung daemon's node. ctdbd "
      "4.17: tests/local-daemons, 3 nodes with its cluster lock, default tunables, capped at HUNG_CAP.")
    p()
    p("| impl | hung | round | node | promoted | recovered | vips | write | bound | node | whole | 2 leaders/gen | ok |")
    p("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in hung:
        p("| " + " | ".join(r) + " |")
    p()
    p("| impl | hung | rounds | ok | write median / max ms | recovered median / max ms | bound ms |")
    p("|---|---|---|---|---|---|---|")
    keys = []
    for r in hung:
        if (r[0], r[1]) not in keys:
            keys.append((r[0], r[1]))
    for impl, who in keys:
        rs = [r for r in hung if r[0] == impl and r[1] == who and len(r) >= 13]
        oks = sum(1 for r in rs if r[-1] == "yes")
        bounds = sorted({r[8] for r in rs})
        p(f"| {impl} | {who} | {len(rs)} | {oks} | {stat([r[7] for r in rs])} | {stat([r[5] for r in rs])} | {', '.join(bounds)} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
