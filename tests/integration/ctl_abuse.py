#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ctl_abuse.py - a control client that misbehaves, for 81_ctl_limits.sh

  hold SOCK N OUT      open N connections and keep them open (until killed); once each is
                       either refused (an error line, then closed) or still open after 1 s,
                       write "accepted A" and one "refused: MESSAGE" line per refusal to OUT
  partial SOCK         send half a request line and wait (up to 40 s) for what kvnetd says;
                       print it, or "nothing"
  pipeline SOCK OUT    write requests and never read an answer, until the socket takes no
                       more for 2 s; write "sent BYTES" to OUT, then wait (up to 40 s) until
                       kvnetd closes the connection and append "closed"
"""
import os
import select
import socket
import sys
import time

REQ = b'{"jsonrpc":"2.0","id":1,"method":"daemon.ping"}\n'


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def write_out(path, lines):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.rename(tmp, path)


def hold(path, n, out):
    conns = [connect(path) for _ in range(n)]
    time.sleep(1)
    accepted, refused = 0, []
    for s in conns:
        r, _, _ = select.select([s], [], [], 0)
        if not r:
            accepted += 1
            continue
        data = s.recv(4096).decode(errors="replace")
        msg = data.split('"message":"', 1)[1].split('"', 1)[0] if '"message":"' in data else data
        refused.append("refused: " + msg)
    write_out(out, ["accepted %d" % accepted] + refused)
    while True:
        time.sleep(3600)


def partial(path):
    s = connect(path)
    s.sendall(b'{"jsonrpc":"2.0","id":1,')
    s.settimeout(40)
    try:
        data = s.recv(4096)
    except socket.timeout:
        data = b""
    print(data.decode(errors="replace").strip() or "nothing")


def pipeline(path, out):
    s = connect(path)
    s.setblocking(False)
    sent, chunk = 0, REQ * 1000
    last = time.monotonic()
    while time.monotonic() - last < 2:
        try:
            sent += s.send(chunk)
            last = time.monotonic()
        except BlockingIOError:
            select.select([], [s], [], 0.2)
        except OSError:
            break
    write_out(out, ["sent %d" % sent])
    end = time.monotonic() + 40
    closed = False
    while time.monotonic() < end and not closed:
        # never read an answer: a reset or hang-up shows as the socket no longer writable
        # or as an error on send
        try:
            s.send(b" ")
        except BlockingIOError:
            pass
        except OSError:
            closed = True
            break
        _, _, x = select.select([], [], [s], 0.5)
        if x:
            closed = True
    with open(out, "a") as f:
        f.write("closed\n" if closed else "still open\n")


def main():
    mode = sys.argv[1]
    if mode == "hold":
        hold(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif mode == "partial":
        partial(sys.argv[2])
    elif mode == "pipeline":
        pipeline(sys.argv[2], sys.argv[3])
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
