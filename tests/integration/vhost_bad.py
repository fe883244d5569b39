#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
# vhost_bad.py - a hostile vhost-user front-end: each case connects to kvnet's socket, sends
# one message that breaks the protocol (after a good set-up where the case needs one), or
# shrinks the memory it shared under kvnet, and expects kvnet to close the connection.
# Exit 0 if it did every time, 1 (saying which) if not.
#
#   vhost_bad.py SOCKET

import mmap
import os
import socket
import struct
import sys

VERSION = 1
NEED_REPLY = 1 << 3
GET_FEATURES, SET_FEATURES, SET_OWNER, SET_MEM_TABLE = 1, 2, 3, 5
SET_VRING_NUM, SET_VRING_ADDR, SET_VRING_KICK = 8, 9, 12
GET_PROTOCOL_FEATURES, SET_PROTOCOL_FEATURES = 15, 16
PAGE = 4096


def msg(req, payload=b"", flags=VERSION, size=None):
    return struct.pack("<III", req, flags, len(payload) if size is None else size) + payload


def memfd():
    fd = os.memfd_create("vhost-bad")
    os.ftruncate(fd, 4 * PAGE)
    return fd


def mem_table(regions):
    """regions: (gpa, size, uva, offset) tuples"""
    body = struct.pack("<II", len(regions), 0)
    for r in regions:
        body += struct.pack("<QQQQ", *r)
    return body


def closed(sock):
    """did kvnet close the connection (EOF or reset within 10 s)?"""
    sock.settimeout(10)
    try:
        while True:
            data = sock.recv(4096)
            if not data:
                return True
    except (ConnectionResetError, BrokenPipeError):
        return True
    except socket.timeout:
        return False


def case(path, name, steps):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    try:
        for data, fds in steps:
            if callable(data):
                data()
            elif fds == "reply":
                # kvnet has handled everything before it once its answer is here
                s.sendall(data)
                s.settimeout(10)
                s.recv(4096)
            elif fds:
                socket.send_fds(s, [data], fds)
            else:
                s.sendall(data)
    except (ConnectionResetError, BrokenPipeError):
        pass
    ok = closed(s)
    s.close()
    if not ok:
        print(f"vhost_bad: {name}: kvnet kept the connection", file=sys.stderr)
    return ok


def main():
    path = sys.argv[1]
    fd = memfd()
    good_mem = mem_table([(0, 4 * PAGE, 0x10000, 0)])
    cases = [
        ("version 2", [(msg(GET_FEATURES, flags=2), [])]),
        ("unknown request", [(msg(99), [])]),
        ("payload too long", [(msg(GET_FEATURES, size=100000), [])]),
        ("wrong size", [(msg(SET_FEATURES, b"\0" * 4), [])]),
        ("feature not offered", [(msg(SET_FEATURES, struct.pack("<Q", 1 << 5)), [])]),  # MAC
        ("ring size not a power of two",
         [(msg(SET_VRING_NUM, struct.pack("<II", 0, 1000)), [])]),
        ("ring size too large", [(msg(SET_VRING_NUM, struct.pack("<II", 1, 65536)), [])]),
        ("ring index 2", [(msg(SET_VRING_NUM, struct.pack("<II", 2, 256)), [])]),
        ("9 regions", [(msg(SET_MEM_TABLE, mem_table([(0, PAGE, 0, 0)] * 9)), [])]),
        ("regions without descriptors", [(msg(SET_MEM_TABLE, good_mem), [])]),
        ("region past the file's end",
         [(msg(SET_MEM_TABLE, mem_table([(0, 64 * PAGE, 0x10000, 0)])), [fd])]),
        ("region wrapping", [(msg(SET_MEM_TABLE, mem_table([(2**64 - PAGE, 2 * PAGE, 0, 0)])),
                              [fd])]),
        ("descriptor with GET_FEATURES", [(msg(GET_FEATURES), [fd])]),
        ("ring outside the table",
         [(msg(SET_OWNER), []), (msg(SET_MEM_TABLE, good_mem), [fd]),
          (msg(SET_VRING_NUM, struct.pack("<II", 1, 256)), []),
          (msg(SET_VRING_ADDR, struct.pack("<IIQQQQ", 1, 0, 0x10000 + 3 * PAGE,
                                           0x10000 + 8 * PAGE, 0x10000, 0)), [])]),
        ("kick without an eventfd",
         [(msg(SET_VRING_KICK, struct.pack("<Q", 1 | 1 << 8)), [])]),
    ]
    # a good ring 0 that kvnet has mapped, then the file cut to nothing: the kick makes kvnet
    # read the used index there
    shrunk, kick = memfd(), os.eventfd(0)
    cases.append(("memory file shrunk",
                  [(msg(SET_OWNER), []), (msg(SET_MEM_TABLE, good_mem), [shrunk]),
                   (msg(SET_VRING_NUM, struct.pack("<II", 0, 256)), []),
                   (msg(SET_VRING_ADDR, struct.pack("<IIQQQQ", 0, 0, 0x10000, 0x10000 + 2 * PAGE,
                                                    0x10000 + PAGE, 0)), []),
                   (msg(GET_FEATURES), "reply"),
                   (lambda: os.ftruncate(shrunk, 0), None),
                   (msg(SET_VRING_KICK, struct.pack("<Q", 0)), [kick])]))
    bad = [name for name, steps in cases if not case(path, name, steps)]
    os.close(fd)
    os.close(shrunk)
    os.close(kick)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
