#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vxlan_wire.py - watch and forge VXLAN datagrams on a test's underlay (39_vxlan.sh).

  sniff IFACE --port P --out FILE --ready-file F --stop-file F --timeout S
        every IPv4 UDP datagram to port P seen on IFACE, one line each in FILE:
        "SRC_IP SPORT VNI INNER_DST INNER_SRC INNER_TYPE PAYLOAD_HEX TOS TTL LEN CSUM" (VNI
        -1 if the payload is no VXLAN header; INNER_TYPE 8100/VID for a tagged inner frame;
        LEN the outer IP total length, or "bad" when it or the UDP length disagrees with
        the bytes seen; CSUM for an inner untagged IPv4 TCP segment "ok" or "bad" (its IP
        header and TCP checksums), "-" for anything else)
  send --src IP --dst IP --port P HEX
        one UDP datagram of the bytes HEX from SRC (any source port)

Run it in the namespace (ip netns exec). Plain sockets, no scapy: the point is to
read the bytes as they are on the wire.
"""

import argparse
import os
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003


def mac(b):
    return ":".join("%02x" % x for x in b)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def inner_csum(inner):
    """ok/bad for an untagged IPv4 TCP frame's checksums, - for anything else"""
    if len(inner) < 14 + 20 or inner[12:14] != b"\x08\x00":
        return "-"
    ip = inner[14:]
    ihl = (ip[0] & 0x0F) * 4
    tot = struct.unpack("!H", ip[2:4])[0]
    if ip[9] != 6 or ihl < 20 or tot > len(ip) or tot < ihl + 20:
        return "-"
    if csum(ip[:ihl]) != 0xFFFF:
        return "bad"
    seg = ip[ihl:tot]
    pseudo = ip[12:20] + struct.pack("!BBH", 0, 6, len(seg))
    return "ok" if csum(pseudo + seg) == 0xFFFF else "bad"


def parse(frame, port):
    if len(frame) < 14 + 20 + 8 or frame[12:14] != b"\x08\x00":
        return None
    ip = frame[14:]
    ihl = (ip[0] & 0x0F) * 4
    if ip[9] != 17 or len(ip) < ihl + 8:
        return None
    sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
    if dport != port:
        return None
    src = socket.inet_ntoa(ip[12:16])
    tot = struct.unpack("!H", ip[2:4])[0]
    ulen = struct.unpack("!H", ip[ihl + 4:ihl + 6])[0]
    good = tot == len(ip) and ulen == tot - ihl
    tail = "%d %d %s" % (ip[1], ip[8], tot if good else "bad")
    pl = ip[ihl + 8:]
    if len(pl) < 8 + 14 or not pl[0] & 0x08:
        return "%s %d -1 - - - %s %s -" % (src, sport, pl.hex() or "-", tail)
    vni = int.from_bytes(pl[4:7], "big")
    inner = pl[8:]
    etype = inner[12:14].hex()
    if etype == "8100" and len(inner) >= 18:
        etype = "8100/%d" % (struct.unpack("!H", inner[14:16])[0] & 0xFFF)
    return "%s %d %d %s %s %s %s %s %s" % (src, sport, vni, mac(inner[0:6]),
                                           mac(inner[6:12]), etype, inner[14:].hex() or "-",
                                           tail, inner_csum(inner))


def sniff(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.bind((a.iface, 0))
    # room for a TCP transfer's burst (SO_RCVBUFFORCE: past rmem_max, as root)
    try:
        s.setsockopt(socket.SOL_SOCKET, 33, 16 << 20)
    except OSError:
        pass
    s.settimeout(0.2)
    open(a.ready_file, "w").close()
    end = time.time() + a.timeout
    with open(a.out, "w") as out:
        while time.time() < end and not os.path.exists(a.stop_file):
            try:
                frame, addr = s.recvfrom(65535)
            except socket.timeout:
                continue
            if addr[2] == socket.PACKET_OUTGOING:
                continue
            line = parse(frame, a.port)
            if line:
                out.write(line + "\n")
                out.flush()
    return 0


def send(a):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((a.src, 0))
    s.sendto(bytes.fromhex(a.hex), (a.dst, a.port))
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    ps = sub.add_parser("sniff")
    ps.add_argument("iface")
    ps.add_argument("--port", type=int, required=True)
    ps.add_argument("--out", required=True)
    ps.add_argument("--ready-file", required=True)
    ps.add_argument("--stop-file", required=True)
    ps.add_argument("--timeout", type=float, required=True)
    pd = sub.add_parser("send")
    pd.add_argument("--src", required=True)
    pd.add_argument("--dst", required=True)
    pd.add_argument("--port", type=int, default=4789)
    pd.add_argument("hex")
    a = p.parse_args()
    return sniff(a) if a.cmd == "sniff" else send(a)


if __name__ == "__main__":
    sys.exit(main())
