#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the seed corpus of every fuzz target (tests/CtdbPcmk.Fuzz/corpus/<target>/) from the
packets captured from the real ctdbd 4.17 (shared/vectors/ctdb-4.17) and the sample
configuration files of the repository. Re-running it rewrites the seeds (file name = content
hash, so nothing is duplicated).

  tests/fuzz/seed-corpus.py VECTOR_DIR
"""
import glob, hashlib, json, os, struct, sys

repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
corpus = os.path.join(repo, "tests", "CtdbPcmk.Fuzz", "corpus")
OPS = {0: "req-call", 1: "reply-call", 2: "req-dmaster", 3: "reply-dmaster", 4: "reply-error",
       5: "req-message", 7: "req-control", 8: "reply-control", 9: "req-keepalive", 10: "req-tunnel"}
# Order of ProtocolTargets.Data: the control-data target's first byte picks the decoder.
DATA = ["addr-info", "ban-state", "connection", "cstring", "cstring-terminated", "db-map", "iface",
        "iface-list", "key-data", "latency-counter", "leader-state", "ltdb-header", "ltdb-header-try",
        "node-and-flags", "node-flag-change", "node-map", "pid-srvid", "public-ip", "public-ip-info",
        "public-ip-list", "pull-db-ext", "rec-buffer", "rec-data", "sock-addr", "statistics", "string-n",
        "tcp-changes", "tickle-list", "timeval", "trans-db", "traverse-all", "traverse-all-ext",
        "traverse-start", "traverse-start-ext", "tunable-list", "tunable-value", "uptime", "var-list",
        "vnn-map"]


seen = set()


def put(target, data):
    """One seed; packets equal but for their generation and reqid count once per target."""
    key = data
    if len(data) >= 32 and data[4:8] == b"BDTC":
        key = data[:12] + bytes(4) + data[16:28] + bytes(4) + data[32:]
    if (target, key) in seen:
        return
    seen.add((target, key))
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def body(pkt):
    """Control or message data carried by a packet, or None."""
    op = struct.unpack_from("<I", pkt, 16)[0]
    if op == 7 and len(pkt) >= 60:
        n = struct.unpack_from("<I", pkt, 56)[0]
        return pkt[60:60 + n]
    if op == 8 and len(pkt) >= 44:
        n = struct.unpack_from("<I", pkt, 36)[0]
        return pkt[44:44 + n]
    if op == 5 and len(pkt) >= 48:
        n = struct.unpack_from("<I", pkt, 40)[0]
        return pkt[48:48 + n]
    return None


def main(vectors):
    packets, streams = [], []
    for path in sorted(glob.glob(os.path.join(vectors, "*.json"))):
        doc = json.load(open(path))
        if isinstance(doc, list):  # node-to-node capture
            node = [bytes.fromhex(p["hex"]) for p in doc]
            packets += node
            for p in node:
                put("node", p)
            continue
        by_conn = {}
        for p in doc["packets"]:
            b = bytes.fromhex(p["hex"])
            packets.append(b)
            if p["direction"] == "request":
                by_conn.setdefault(p["conn"], []).append(b)
                put("client", b)
        streams += [b"".join(v) for v in by_conn.values()]
    for s in streams:
        put("client", s)
        put("framing", s)
    datas = set()
    for p in packets:
        op = struct.unpack_from("<I", p, 16)[0]
        put("packet", p)
        put("header", p[:32])
        if op in OPS:
            put(OPS[op], p)
        d = body(p)
        if d:
            datas.add(d)
    # One corpus, "data", for every data decoder; control-data gets each blob with a decoder
    # picked in turn, and every decoder once with zeros.
    for i, d in enumerate(sorted(datas)):
        put("data", d)
        put("control-data", bytes([i % len(DATA)]) + d)
    for i in range(len(DATA)):
        put("control-data", bytes([i]) + b"\0" * 64)
    # Configuration parsers: the repository's own samples.
    for conf in glob.glob(os.path.join(repo, "packaging", "**", "ctdb.conf*"), recursive=True):
        put("ctdb-conf", open(conf, "rb").read())
    put("ctdb-conf", b"[cluster]\n\tnode address = 127.0.0.1\n\tnodes list = /etc/ctdb/nodes\n"
                     b"[database]\n\tvolatile database directory = /var/lib/ctdb/volatile\n"
                     b"[logging]\n\tlocation = syslog\n\tlog level = NOTICE\n"
                     b"[limits]\n\tmax clients = 100\n[tunables]\n\tKeepaliveInterval = 5\n")
    put("nodes-file", b"192.168.1.1\n192.168.1.2\n#192.168.1.3\n\nfd00::3\n")
    for conf in glob.glob(os.path.join(repo, "tests", "**", "*ganesha*.conf"), recursive=True):
        put("ganesha-conf", open(conf, "rb").read())
    put("ganesha-conf", b'NFS_CORE_PARAM {\n  Protocols = 4;\n  NFS_Port = 2049;\n}\n'
                        b'NFSv4 { Grace_Period = 90; RecoveryBackend = "fs"; }\n'
                        b'%include "/etc/ganesha/exports.conf"\n'
                        b'EXPORT { Export_Id = 1; Path = /srv/nfs; Pseudo = /nfs; FSAL { Name = VFS; } }\n')


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "/work/shared/vectors/ctdb-4.17")
