#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# An SMB2/3 client that a test drives line by line on stdin, so that it can hold a session (and a
# durable handle) across a failover and say exactly what the server did to it. Uses impacket.
#   connect HOST SECONDS     new TCP connection, guest session, tree connect to "share"
#   write NAME TEXT          create or overwrite NAME with TEXT, flush and close
#   read NAME                print the content of NAME
#   timeout SECONDS          bound every later request on this connection by SECONDS (connect's
#                            SECONDS bounds the connection, logon and tree connect too)
#   durable-open NAME TEXT   create NAME with a durable v2 handle (batch oplock), write TEXT, flush,
#                            and keep the handle open
#   durable-reclaim NAME     on the current connection, reopen the kept handle (durable v2 reconnect)
#                            and print what it reads
#   drop                     close the current TCP connection without logging off (a lost link)
#   wait-drop SECONDS        wait until the server ends the current TCP connection: "reset" (RST),
#                            "closed" (FIN) or "ERR timeout"
# Each command prints one line: "OK [text]" or "ERR <reason>". End of input ends the program.
# Usage: smb-session.py
import os
import select
import socket
import sys
import uuid

from impacket import smb3structs as s3
from impacket.smbconnection import SMBConnection

GENERIC_RW = 0x1 | 0x2 | 0x80 | 0x100  # read data, write data, read attributes, write attributes
SHARE_ALL = 0x7
FILE_OVERWRITE_IF = 5
FILE_OPEN = 1
DH2_TIMEOUT_MS = 60000


def context(name, data):
    # SMB2_CREATE_CONTEXT: the name at offset 16, padded to 8 bytes, then the data.
    ctx = s3.SMB2CreateContext()
    ctx["Next"] = 0
    ctx["NameOffset"] = 16
    ctx["NameLength"] = len(name)
    ctx["DataOffset"] = 24
    ctx["DataLength"] = len(data)
    ctx["Buffer"] = name + b"\x00" * (8 - len(name)) + data
    return ctx


class Client:
    def __init__(self):
        self.conn = None
        self.tid = None
        self.durable = None  # (name, file id, create guid)

    def socket(self):
        return self.conn.getSMBServer()._NetBIOSSession.get_socket()

    def connect(self, host, seconds):
        self.conn = SMBConnection(host, host, sess_port=445, timeout=float(seconds))
        self.conn.login("", "")
        self.tid = self.conn.connectTree("share")
        return ""

    def write(self, name, text):
        fid = self.conn.createFile(self.tid, name, desiredAccess=GENERIC_RW, shareMode=SHARE_ALL,
                                   creationDisposition=FILE_OVERWRITE_IF)
        self.conn.writeFile(self.tid, fid, text.encode())
        self.conn.getSMBServer().flush(self.tid, fid)
        self.conn.closeFile(self.tid, fid)
        return ""

    def read(self, name):
        fid = self.conn.openFile(self.tid, name, desiredAccess=0x1 | 0x80, shareMode=SHARE_ALL)
        data = self.conn.readFile(self.tid, fid)
        self.conn.closeFile(self.tid, fid)
        return data.decode()

    def durable_open(self, name, text):
        guid = uuid.uuid4().bytes
        req = s3.SMB2_CREATE_DURABLE_HANDLE_REQUEST_V2()
        req["Timeout"] = DH2_TIMEOUT_MS
        req["Flags"] = 0
        req["Reserved"] = b"\x00" * 8
        req["CreateGuid"] = guid
        smb = self.conn.getSMBServer()
        fid = smb.create(self.tid, name, GENERIC_RW, SHARE_ALL, 0, FILE_OVERWRITE_IF, 0,
                         oplockLevel=s3.SMB2_OPLOCK_LEVEL_BATCH,
                         createContexts=[context(b"DH2Q", req.getData())])
        smb.write(self.tid, fid, text.encode(), 0, len(text))
        smb.flush(self.tid, fid)
        self.durable = (name, fid, guid)
        return ""

    def durable_reclaim(self, name):
        kept_name, fid, guid = self.durable
        if kept_name != name:
            raise RuntimeError("no durable handle for " + name)
        req = s3.SMB2_CREATE_DURABLE_HANDLE_RECONNECT_V2()
        req["FileID"] = s3.SMB2_FILEID(fid) if isinstance(fid, bytes) else fid
        req["CreateGuid"] = guid
        req["Flags"] = 0
        smb = self.conn.getSMBServer()
        new_fid = smb.create(self.tid, name, GENERIC_RW, SHARE_ALL, 0, FILE_OPEN, 0,
                             oplockLevel=s3.SMB2_OPLOCK_LEVEL_BATCH,
                             createContexts=[context(b"DH2C", req.getData())])
        data = smb.read(self.tid, new_fid, 0, 4096)
        smb.close(self.tid, new_fid)
        self.durable = None
        return data.decode()

    def wait_drop(self, seconds):
        sock = self.socket()
        sock.setblocking(True)
        readable, _, _ = select.select([sock], [], [], float(seconds))
        if not readable:
            return None
        try:
            data = sock.recv(65536, socket.MSG_PEEK)
        except ConnectionResetError:
            return "reset"
        except OSError as e:
            return "error " + os.strerror(e.errno) if e.errno else str(e)
        return "closed" if data == b"" else "data"


def main():
    client = Client()
    for line in sys.stdin:
        words = line.split(" ", 2)
        words[-1] = words[-1].rstrip("\n")
        cmd = words[0]
        try:
            if cmd == "connect":
                out = client.connect(words[1], words[2])
            elif cmd == "write":
                out = client.write(words[1], words[2])
            elif cmd == "read":
                out = client.read(words[1])
            elif cmd == "timeout":
                client.conn.setTimeout(float(words[1]))
                out = ""
            elif cmd == "durable-open":
                out = client.durable_open(words[1], words[2])
            elif cmd == "durable-reclaim":
                out = client.durable_reclaim(words[1])
            elif cmd == "drop":
                client.socket().close()
                out = ""
            elif cmd == "wait-drop":
                out = client.wait_drop(words[1])
                if out is None:
                    print("ERR timeout", flush=True)
                    continue
            elif cmd == "":
                continue
            else:
                print("ERR unknown command " + cmd, flush=True)
                continue
            print(("OK " + out).rstrip(), flush=True)
        except Exception as e:  # every failure is one answer line; the test decides
            print("ERR " + type(e).__name__ + " " + str(e).replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
