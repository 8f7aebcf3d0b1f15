#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Answers questions about `crm_mon --output-as=xml` read from stdin.

  all-started          exit 0 when every resource is active (Started/Promoted/Unpromoted), nothing
                       is failed, and every promotable clone has a promoted instance
  why-not              prints on one line what keeps all-started from holding: resources not
                       active or failed, promotable clones without a promoted instance, and
                       the failed actions crm_mon lists
  where RSC            prints the nodes RSC is active on, one per line
  promoted CLONE       prints the node of CLONE's promoted instance
  unpromoted CLONE     prints the nodes of CLONE's unpromoted instances
"""
import sys
import xml.etree.ElementTree as ET

ACTIVE = {"Started", "Promoted", "Unpromoted", "Master", "Slave"}


def resources(root):
    res = root.find("resources")
    return [] if res is None else res


def primitives(elem, clone=None):
    for child in elem:
        if child.tag == "resource":
            yield clone, child
        elif child.tag == "group":
            yield from primitives(child, clone)
        elif child.tag == "clone":
            yield from primitives(child, child)


def nodes_of(r):
    return [n.get("name") for n in r.findall("node")]


def why_not(root, prims):
    reasons = []
    for clone, r in prims:
        if r.get("role") not in ACTIVE or r.get("failed") == "true" or r.get("active") != "true":
            where = ",".join(nodes_of(r)) or "no node"
            reasons.append(f"{r.get('id')} {r.get('role')} on {where}"
                           + (" failed" if r.get("failed") == "true" else ""))
    for clone in resources(root).iter("clone"):
        if clone.get("multi_state") == "true":
            roles = [r.get("role") for r in clone.iter("resource")]
            if "Promoted" not in roles and "Master" not in roles:
                reasons.append(f"{clone.get('id')} has no promoted instance ({','.join(sorted(set(roles)))})")
    failures = root.find("failures")
    for f in [] if failures is None else failures:
        reasons.append(f"failed action {f.get('op_key')} on {f.get('node')}: {f.get('status')}"
                       f" exit {f.get('exitreason') or f.get('exitstatus')}")
    return reasons


def main():
    root = ET.parse(sys.stdin).getroot()
    cmd = sys.argv[1]
    prims = list(primitives(resources(root)))
    if cmd == "all-started":
        if not prims:
            return 1
        for clone, r in prims:
            if r.get("role") not in ACTIVE or r.get("failed") == "true" or r.get("active") != "true":
                return 1
        for clone in resources(root).iter("clone"):
            if clone.get("multi_state") == "true":
                roles = [r.get("role") for r in clone.iter("resource")]
                if "Promoted" not in roles and "Master" not in roles:
                    return 1
        return 0
    if cmd == "why-not":
        print("; ".join(why_not(root, prims)) or "nothing")
        return 0
    name = sys.argv[2]
    if cmd == "where":
        for clone, r in prims:
            if r.get("id") == name and r.get("role") in ACTIVE:
                print("\n".join(nodes_of(r)))
        return 0
    if cmd in ("promoted", "unpromoted"):
        want = {"Promoted", "Master"} if cmd == "promoted" else {"Unpromoted", "Slave"}
        for clone, r in prims:
            if clone is not None and clone.get("id") == name and r.get("role") in want:
                print("\n".join(nodes_of(r)))
        return 0
    print(f"unknown question: {cmd}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
