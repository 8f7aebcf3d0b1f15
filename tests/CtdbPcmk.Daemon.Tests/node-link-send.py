#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Plays an intruder on the node port: connects to HOST:PORT from the source address BIND (a
# node's address), sends the bytes given as hex on stdin, then waits up to WAIT seconds for the
# daemon to close the connection. Prints "closed N HEX" or "open N HEX" (N bytes received).
import binascii
import socket
import sys
import time

bind, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
wait = float(sys.argv[4]) if len(sys.argv) > 4 else 3.0
data = binascii.unhexlify("".join(sys.stdin.read().split()))
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.bind((bind, 0))
s.connect((host, port))
state = "open"
try:
    s.sendall(data)
except OSError:
    state = "closed"
got = b""
deadline = time.monotonic() + wait
while state == "open" and time.monotonic() < deadline:
    s.settimeout(max(0.01, deadline - time.monotonic()))
    try:
        chunk = s.recv(65536)
    except socket.timeout:
        break
    except OSError:
        state = "closed"
        break
    if not chunk:
        state = "closed"
        break
    got += chunk
print(state, len(got), got.hex())
