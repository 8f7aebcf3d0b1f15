#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# SMB2 client for the cluster tests, driven line by line on stdin so a test can hold an open
# file and a byte-range lock while other clients try theirs. Uses impacket (python3-impacket).
#   open NAME SHARE [ACCESS]
#                     create or open NAME for ACCESS (letters r, w, d for delete; default rw)
#                     sharing SHARE (r, w, rw, rwd, none)
#   lock OFF LEN      exclusive byte-range lock on the open file, failing at once on conflict
#   unlock OFF LEN
#   stat              standard information of the open file: answers "OK delete-pending" when
#                     its delete-on-close is set (by any opener), else "OK"
#   delete-on-close   set the open file's delete disposition (opened with d)
#   list              the share's top directory: "OK" and the names of its files, sorted
#   close             close the open file
# Each command prints one line: "OK" (followed by the answer, if any) or "ERR 0x<NTSTATUS>";
# end of input logs off.
# Usage: smb-client.py HOST SHARE
import sys
from impacket.smbconnection import SMBConnection, SessionError
from impacket import smb3structs as s3

FILE_READ_DATA, FILE_WRITE_DATA, DELETE = 0x1, 0x2, 0x10000
FILE_OPEN_IF = 3
SHARE = {"none": 0, "r": 1, "w": 2, "rw": 3, "rwd": 7}
ACCESS = {"r": FILE_READ_DATA, "w": FILE_WRITE_DATA, "d": DELETE}


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


def delete_pending(conn, tid, fid):
    # FILE_STANDARD_INFORMATION: allocation size, end of file, links, then DeletePending (1 byte).
    info = conn.getSMBServer().queryInfo(tid, fid, infoType=s3.SMB2_0_INFO_FILE,
                                         fileInfoClass=s3.SMB2_FILE_STANDARD_INFO)
    return info[20] != 0


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
                access = sum(ACCESS[a] for a in (words[3] if len(words) > 3 else "rw"))
                fid = conn.createFile(tid, words[1], desiredAccess=access,
                                      shareMode=SHARE[words[2]], creationDisposition=FILE_OPEN_IF)
                reply(0)
            elif words[0] in ("lock", "unlock"):
                flags = (s3.SMB2_LOCKFLAG_EXCLUSIVE_LOCK | s3.SMB2_LOCKFLAG_FAIL_IMMEDIATELY
                         if words[0] == "lock" else s3.SMB2_LOCKFLAG_UNLOCK)
                reply(lock(conn, tid, fid, int(words[1]), int(words[2]), flags))
            elif words[0] == "stat":
                print("OK delete-pending" if delete_pending(conn, tid, fid) else "OK", flush=True)
            elif words[0] == "delete-on-close":
                conn.getSMBServer().setInfo(tid, fid, inputBlob=b"\x01", infoType=s3.SMB2_0_INFO_FILE,
                                            fileInfoClass=s3.SMB2_FILE_DISPOSITION_INFO)
                reply(0)
            elif words[0] == "list":
                names = sorted(f.get_longname() for f in conn.listPath(sys.argv[2], "*")
                               if not f.is_directory())
                print(" ".join(["OK"] + names), flush=True)
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
