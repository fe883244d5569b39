#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""notify_listen.py - a service manager's end of systemd's notification protocol, for tests.

usage: notify_listen.py SOCKET LOG -- CHECK...

Binds a datagram socket at SOCKET (as systemd's $NOTIFY_SOCKET) and appends each message it
receives to LOG, one "VAR=value" per line. When a message holds READY=1, it first runs CHECK
(a command) and appends "CHECK rc=N: OUTPUT" for it, so the test sees the state the daemon was
in at the moment it said it was ready. It creates LOG once it listens, and runs until killed.
"""
import os
import socket
import subprocess
import sys


def main():
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    path, log, check = sys.argv[1], sys.argv[2], sys.argv[4:]
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    os.chmod(path, 0o666)
    with open(log, "a", buffering=1) as out:
        while True:
            msg = sock.recv(4096).decode(errors="replace")
            lines = msg.split("\n")
            if "READY=1" in lines:
                res = subprocess.run(check, capture_output=True, text=True)
                text = (res.stdout + res.stderr).strip().replace("\n", " | ")
                out.write("CHECK rc=%d: %s\n" % (res.returncode, text))
            for line in lines:
                out.write(line + "\n")


if __name__ == "__main__":
    main()
