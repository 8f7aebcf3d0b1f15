#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SMB2 client for the cluster tests, driven line by line on stdin so a test can hold an open
# file and a byte-range lock while other clients try theirs. Uses impacket (python3-impacket).
#   open NAME SHARE   create or open NAME for read+write sharing SHARE (r, w, rw, none)
#   lock OFF LEN      exclusive byte-range lock on the open file, failing at once on conflict
#   unlock OFF LEN
#   close             close the open file
# Each command prints one line: "OK" or "ERR 0x<NTSTATUS>"; end of input logs off.
# Usage: smb-client.py HOST SHARE
import sys
from impacket.smbconnection import SMBConnection, SessionError
from impacket import smb3structs as s3

FILE_READ_DATA, FILE_WRITE_DATA = 0x1, 0x2
FILE_OPEN_IF = 3
SHARE = {"none": 0, "r": 1, "w": 2, "rw": 3}


def lock(conn, tid, fid, offset, length, flags):
    # SMBConnection has no byte-range lock call: send SMB2 LOCK with impacket's structures.
    smb = conn.getSMBServer()
    packet = smb.SMB_PACKET()
    packet["Command"] = s3.SMB2_LOCK
    packet["TreeID"] = tid
    req = s3.SMB2Lock()
    req["FileID"] = fid
    req["LockCount"] = 1
    req["LockSequence"] = 0
    element = s3.SMB2_LOCK_ELEMENT()
    element["Offset"] = offset
    element["Length"] = length
    element["Flags"] = flags
    req["Locks"] = element.getData()
    packet["Data"] = req
    answer = smb.recvSMB(smb.sendSMB(packet))
    return answer["Status"]


def reply(status):
    print("OK" if status == 0 else "ERR 0x%08x" % (status & 0xFFFFFFFF), flush=True)


def main():
    conn = SMBConnection(sys.argv[1], sys.argv[1], sess_port=445, timeout=30)
    conn.login("", "")
    tid = conn.connectTree(sys.argv[2])
    print("READY", flush=True)
    fid = None
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        try:
            if words[0] == "open":
                fid = conn.createFile(tid, words[1], desiredAccess=FILE_READ_DATA | FILE_WRITE_DATA,
                                      shareMode=SHARE[words[2]], creationDisposition=FILE_OPEN_IF)
                reply(0)
            elif words[0] in ("lock", "unlock"):
                flags = (s3.SMB2_LOCKFLAG_EXCLUSIVE_LOCK | s3.SMB2_LOCKFLAG_FAIL_IMMEDIATELY
                         if words[0] == "lock" else s3.SMB2_LOCKFLAG_UNLOCK)
                reply(lock(conn, tid, fid, int(words[1]), int(words[2]), flags))
            elif words[0] == "close":
                conn.closeFile(tid, fid)
                fid = None
                reply(0)
            else:
                print("ERR unknown command", words[0], flush=True)
        except SessionError as e:
            reply(e.getErrorCode())
    conn.logoff()


main()
