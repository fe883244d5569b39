#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""macflood.py - send frames with many random source MACs, as a MAC-flooding VM does.

  macflood.py IFACE --netns NS --count N --dst MAC [--seed S] [--tag TEXT]

Theory of Operation: one AF_PACKET socket bound to IFACE, one frame
template (EtherType 0x88b5, local experimental, "KVNET <tag>" payload)
whose source MAC is replaced for each frame by a random locally
administered unicast address (a PRNG seeded with --seed, so a run can be
repeated). Plain Python without scapy: a few hundred thousand frames take
seconds. A full socket buffer is waited out (the send is retried), so every
frame leaves the namespace. Prints how many frames were sent.
"""

import argparse
import os
import random
import select
import socket
import sys


def mac_bytes(s):
    b = bytes(int(x, 16) for x in s.split(":"))
    if len(b) != 6:
        raise argparse.ArgumentTypeError(f"{s}: not a MAC address")
    return b


def main():
    p = argparse.ArgumentParser()
    p.add_argument("iface")
    p.add_argument("--netns")
    p.add_argument("--count", type=int, required=True)
    p.add_argument("--dst", type=mac_bytes, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--tag", default="flood")
    a = p.parse_args()
    if a.netns:
        os.execvp("ip", ["ip", "netns", "exec", a.netns, sys.executable, __file__,
                         a.iface, "--count", str(a.count), "--dst",
                         ":".join("%02x" % x for x in a.dst), "--seed", str(a.seed),
                         "--tag", a.tag])
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    rng = random.Random(a.seed)
    frame = bytearray(a.dst + bytes(6) + b"\x88\xb5" + f"KVNET {a.tag}".encode().ljust(46, b"\0"))
    sent = 0
    while sent < a.count:
        src = bytearray(rng.getrandbits(48).to_bytes(6, "big"))
        src[0] = (src[0] & 0xFC) | 0x02  # unicast, locally administered
        frame[6:12] = src
        while True:
            try:
                s.send(frame)
                break
            except (BlockingIOError, OSError) as e:
                if getattr(e, "errno", None) not in (11, 105):  # EAGAIN, ENOBUFS
                    raise
                select.select([], [s], [], 0.01)
        sent += 1
    print(sent)


if __name__ == "__main__":
    main()
