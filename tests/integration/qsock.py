#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""qsock.py - play QEMU on a kvnet stream or dgram port, for kvnet's socket-port tests.

  peer MODE PATH [--peer-path P] [--src MAC] [--dst MAC] [--tag T] [--send N]
       [--expect N --from MAC] [--timeout S] [--ready-file F] [--hold-file F]
  bad PATH --len L [--timeout S]

MODE is how QEMU would be configured:
  stream        -netdev stream,server=off: connect to PATH (kvnet listens)
  stream-listen -netdev stream,server=on: listen on PATH, take kvnet's connection,
                and take its next one when it goes (a restarted kvnetd)
  dgram         -netdev dgram: bind --peer-path (local.path), sendto PATH (remote.path)

`peer` connects, creates --ready-file, sends --send frames of EtherType 0x88b5
carrying "KVNET <tag> <seq>" from --src to --dst (stream: all in one write
with --one-write), and counts the frames of that
EtherType from --from until --expect of them arrived (exit 0) or --timeout
(exit 1), printing "frame KVNET <tag> <seq>" for each with --log-frames. It
prints "received N". With --hold-file it then stays connected
until that file exists, and receives nothing more.

`bad` connects to PATH (stream) and sends a frame length of L (0, or more than
65535) and exits 0 when kvnet closes the connection within --timeout, 1 if not.

The stream framing is QEMU's: a 32-bit big-endian length before each frame.
"""
import argparse
import os
import socket
import struct
import sys
import time

ETHERTYPE = 0x88B5


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def frame(src, dst, tag, seq):
    payload = ("KVNET %s %d" % (tag, seq)).encode()
    f = mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", ETHERTYPE) + payload
    return f + bytes(max(0, 60 - len(f)))


def open_peer(args, deadline):
    if args.mode == "stream":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        while True:
            try:
                s.connect(args.path)
                return s
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.05)
    if args.mode == "stream-listen":
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        if os.path.exists(args.path):
            os.unlink(args.path)
        srv.bind(args.path)
        srv.listen(1)
        if args.listen_file:
            open(args.listen_file, "w").close()
        args.server = srv
        return accept(srv, deadline)
    # as QEMU: bound, not connected; each frame goes with sendto()
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    if os.path.exists(args.peer_path):
        os.unlink(args.peer_path)
    s.bind(args.peer_path)
    return s


def accept(srv, deadline):
    srv.settimeout(max(0.1, deadline - time.time()))
    conn, _ = srv.accept()
    return conn


class Reader:
    """frames out of a stream (length-prefixed) or dgram socket"""

    def __init__(self, sock, stream):
        self.sock = sock
        self.stream = stream
        self.buf = b""

    def frames(self, timeout):
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(262144)
        except socket.timeout:
            return []
        if not data:
            raise EOFError
        if not self.stream:
            return [data]
        self.buf += data
        out = []
        while len(self.buf) >= 4:
            n = struct.unpack("!I", self.buf[:4])[0]
            if len(self.buf) < 4 + n:
                break
            out.append(self.buf[4:4 + n])
            self.buf = self.buf[4 + n:]
        return out


def send_frames(sock, stream, args, deadline):
    if stream and args.one_write:
        data = b""
        for seq in range(args.send):
            f = frame(args.src, args.dst, args.tag, seq)
            data += struct.pack("!I", len(f)) + f
        sock.sendall(data)
        return
    for seq in range(args.send):
        f = frame(args.src, args.dst, args.tag, seq)
        if stream:
            sock.sendall(struct.pack("!I", len(f)) + f)
            continue
        # kvnet refuses (EPERM) until it has let go of a previous QEMU at this path, for up
        # to a second: a guest would send again, so do we
        while True:
            try:
                sock.sendto(f, args.path)
                break
            except (PermissionError, ConnectionRefusedError, FileNotFoundError):
                if time.time() > deadline:
                    raise
                time.sleep(0.05)


def cmd_peer(args):
    deadline = time.time() + args.timeout
    sock = open_peer(args, deadline)
    stream = args.mode != "dgram"
    if args.ready_file:
        open(args.ready_file, "w").close()
    send_frames(sock, stream, args, deadline)
    got = 0
    reader = Reader(sock, stream)
    want_src = mac_bytes(args.from_mac) if args.from_mac else None
    while got < args.expect and time.time() < deadline:
        try:
            for f in reader.frames(max(0.01, deadline - time.time())):
                if len(f) >= 14 and struct.unpack("!H", f[12:14])[0] == ETHERTYPE and \
                        f[6:12] == want_src:
                    got += 1
                    if args.log_frames:
                        print("frame %s" % f[14:].rstrip(b"\0").decode(errors="replace"),
                              flush=True)
        except EOFError:
            print("kvnet closed the connection", file=sys.stderr)
            if args.server is None:
                break
            try:
                sock = accept(args.server, deadline)
            except socket.timeout:
                break
            reader = Reader(sock, stream)
            print("kvnet connected again", file=sys.stderr)
    print("received %d" % got, flush=True)
    if args.hold_file:
        while not os.path.exists(args.hold_file) and time.time() < deadline + 60:
            time.sleep(0.05)
    sock.close()
    return 0 if got >= args.expect else 1


def cmd_bad(args):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(args.path)
    s.sendall(struct.pack("!I", args.len) + bytes(64))
    s.settimeout(args.timeout)
    try:
        while s.recv(65536):
            pass
    except ConnectionResetError:
        pass
    except socket.timeout:
        print("kvnet kept the connection for %g s" % args.timeout, file=sys.stderr)
        return 1
    return 0


def main():
    ap = argparse.ArgumentParser(description="play QEMU on a kvnet socket port")
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("peer")
    p.add_argument("mode", choices=["stream", "stream-listen", "dgram"])
    p.add_argument("path")
    p.add_argument("--peer-path")
    p.add_argument("--src", default="52:54:00:00:00:01")
    p.add_argument("--dst", default="ff:ff:ff:ff:ff:ff")
    p.add_argument("--tag", default="q")
    p.add_argument("--send", type=int, default=0)
    p.add_argument("--expect", type=int, default=0)
    p.add_argument("--from", dest="from_mac")
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("--ready-file")
    p.add_argument("--listen-file")
    p.add_argument("--hold-file")
    p.add_argument("--log-frames", action="store_true")
    p.add_argument("--one-write", action="store_true")
    b = sub.add_parser("bad")
    b.add_argument("path")
    b.add_argument("--len", type=int, required=True)
    b.add_argument("--timeout", type=float, default=5)
    args = ap.parse_args()
    args.server = None
    if args.cmd == "peer" and args.mode == "dgram" and not args.peer_path:
        ap.error("dgram needs --peer-path")
    return cmd_peer(args) if args.cmd == "peer" else cmd_bad(args)


if __name__ == "__main__":
    sys.exit(main())
