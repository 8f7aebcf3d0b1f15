#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""smbd's answer time: from connect() to a complete SMB2 NEGOTIATE response, on a fresh TCP
connection each time, measured inside one process (no process start-up in the figure).

    smb2-negotiate-rtt.py ADDRESS PORT RUNS   prints each run's time in ms, one a line (after 3
                                              warm-up rounds; rounds 20 ms apart)

Every new connection makes smbd fork a connection process that initialises itself (with
clustering, also against the cluster daemon) before it answers, so this is the floor of any
health check that opens a connection and negotiates.
"""
import os
import socket
import struct
import sys
import time

DIALECTS = (0x0202, 0x0210, 0x0300, 0x0302)


def negotiate_request() -> bytes:
    # SMB2 header: protocol id, structure size 64, credit charge, status, command 0 (NEGOTIATE),
    # one credit requested, flags, next command, message id, process id, tree id, session id,
    # signature.
    header = b"\xfeSMB" + struct.pack("<HHIHHIIQIIQ16s", 64, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, bytes(16))
    # NEGOTIATE body: structure size 36, dialect count, security mode (signing enabled),
    # reserved, capabilities, client GUID, client start time, then the dialects.
    body = struct.pack("<HHHHI16sQ", 36, len(DIALECTS), 1, 0, 0, os.urandom(16), 0)
    body += b"".join(struct.pack("<H", d) for d in DIALECTS)
    message = header + body
    return struct.pack(">I", len(message)) + message   # direct TCP transport length prefix


def round_trip(address: str, port: int) -> float:
    start = time.perf_counter()
    with socket.create_connection((address, port), timeout=10) as s:
        s.sendall(negotiate_request())
        data = b""
        while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
            chunk = s.recv(65536)
            if not chunk:
                sys.exit("smb2-negotiate-rtt: smbd closed the connection before answering")
            data += chunk
        elapsed = time.perf_counter() - start
    status, command = struct.unpack("<IH", data[12:18])
    if data[4:8] != b"\xfeSMB" or command != 0 or status != 0:
        sys.exit(f"smb2-negotiate-rtt: not a successful NEGOTIATE response (status 0x{status:08x})")
    return elapsed * 1000


def main() -> None:
    if len(sys.argv) != 4:
        sys.exit("usage: smb2-negotiate-rtt.py ADDRESS PORT RUNS")
    address, port, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    times = []
    for i in range(runs + 3):
        # A pause like the gap between two runs of a check, so smbd's previous connection
        # process has exited and is not still tearing down while the next one starts.
        time.sleep(0.02)
        t = round_trip(address, port)
        if i >= 3:
            times.append(t)
    for t in times:
        print(f"{t:.3f}")


main()
