#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""mcast.py - a multicast listener and sender through the kernel's stack, for 66_mcast_snooping.

  join GROUP IFACE READY_FILE TIMEOUT  join GROUP on IFACE (the kernel sends its IGMP/MLD
                                       report), create READY_FILE, stay until SIGTERM or
                                       TIMEOUT s; leaving (closing the socket) sends a leave
  send GROUP IFACE COUNT               COUNT UDP datagrams to GROUP port 5000 out of IFACE
  query IFACE                          an IGMPv2 general query to 224.0.0.1 out of IFACE, as a
                                       multicast router (or a guest pretending) sends it
"""

import signal
import socket
import struct
import sys
import time


def join(group, ifname, ready, timeout):
    idx = socket.if_nametoindex(ifname)
    if ":" in group:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP,
                     socket.inet_pton(socket.AF_INET6, group) + struct.pack("@I", idx))
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        mreqn = struct.pack("@4s4si", socket.inet_aton(group), bytes(4), idx)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreqn)
    open(ready, "w").close()
    # SIGTERM: leave by closing the socket, as a program that ends does
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    time.sleep(timeout)
    s.close()


def send(group, ifname, count):
    idx = socket.if_nametoindex(ifname)
    if ":" in group:
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 1)
        dst = (group, 5000, 0, idx)
    else:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                     struct.pack("@4s4si", bytes(4), bytes(4), idx))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
        dst = (group, 5000)
    for i in range(count):
        s.sendto(b"kvnet mcast %d" % i, dst)


def query(ifname):
    idx = socket.if_nametoindex(ifname)
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_IGMP)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 struct.pack("@4s4si", bytes(4), bytes(4), idx))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    msg = bytearray([0x11, 100, 0, 0, 0, 0, 0, 0])
    total = sum((msg[i] << 8) | msg[i + 1] for i in range(0, 8, 2))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    struct.pack_into(">H", msg, 2, ~total & 0xffff)
    s.sendto(bytes(msg), ("224.0.0.1", 0))


if __name__ == "__main__":
    if sys.argv[1] == "join":
        join(sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5]))
    elif sys.argv[1] == "send":
        send(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "query":
        query(sys.argv[2])
    else:
        sys.exit("usage: mcast.py join|send ...")
