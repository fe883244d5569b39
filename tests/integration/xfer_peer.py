#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""xfer_peer.py - the host's end of a guest's bulk transfer, for 76_guest_vhost

Serves the file BLOB over HTTP at ADDR:PORT (GET /blob, for the guest's busybox wget) and takes
SIZE bytes on ADDR:PORT+1 (the guest's nc), then writes the MD5 of what it took to OUT and
closes the connection. Exits when both are done, or after --timeout seconds.

usage: xfer_peer.py ADDR PORT BLOB OUT [--timeout S]
"""

import argparse
import hashlib
import http.server
import os
import socket
import sys
import threading


def serve_blob(addr, port, blob, done):
    data = open(blob, "rb").read()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path != "/blob":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            done.set()

        def log_message(self, *args):
            pass

    srv = http.server.HTTPServer((addr, port), Handler)
    srv.timeout = 1
    while not done.is_set():
        srv.handle_request()
    srv.server_close()


def take(addr, port, size, out):
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(1)
    conn, _ = ls.accept()
    md5 = hashlib.md5()
    got = 0
    while got < size:
        b = conn.recv(min(65536, size - got))
        if not b:
            break
        md5.update(b)
        got += len(b)
    conn.close()
    ls.close()
    with open(out + ".tmp", "w") as f:
        f.write("%s %d\n" % (md5.hexdigest(), got))
    os.rename(out + ".tmp", out)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("blob")
    ap.add_argument("out")
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()
    size = os.path.getsize(a.blob)
    done = threading.Event()
    t = threading.Thread(target=serve_blob, args=(a.addr, a.port, a.blob, done), daemon=True)
    t.start()
    r = threading.Thread(target=take, args=(a.addr, a.port + 1, size, a.out), daemon=True)
    r.start()
    r.join(a.timeout)
    done.set()
    t.join(2)
    return 0 if os.path.exists(a.out) else 1


if __name__ == "__main__":
    sys.exit(main())
