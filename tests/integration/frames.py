#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""frames.py - send, capture and count raw Ethernet frames for kvnet's namespace tests.

Run it with Debian's /usr/bin/python3 (it needs python3-scapy). Every
subcommand takes --netns NS and then runs inside network namespace NS
(re-executed under `ip netns exec NS`).

  send IFACE [--src MAC] [--dst MAC] [--vlan VID] [--pcp P] [--tpid T]
             [--inner-vlan VID] [--ethertype T] [--tag TEXT] [--count N]
             [--arp-request IP --arp-sender IP]
             [--kind bpdu|dhcp-offer|ra [--bpdu-priority P]]
  expect IFACE --src MAC [--dst MAC] [--vlan VID | --untagged] [--tpid T] [--pcp P]
             [--inner-vlan VID | --no-inner] [--ethertype T] [--tag TEXT] [--count N]
             --timeout S [--ready-file F]
  count IFACE (same filters as expect) --timeout S [--ready-file F]
             [--stop-file F [--grace S]]
  ping DST_IP [--count N] --timeout S
  dns NAME --server IP [--type A] --timeout S
  serve ADDR PORT --log F --timeout S [--ready-file F]
  dnsserve ADDR --log F --answer IP [--ptr-name N] --timeout S [--ready-file F]
  connect ADDR PORT --timeout S

Theory of Operation: frames are built with scapy and written to an
AF_PACKET socket bound to IFACE. Captures read an AF_PACKET socket with
PACKET_AUXDATA: the kernel takes the 802.1Q tag off a received frame and
hands it over as metadata, so the tag is put back from the auxdata before
matching; what a test sees is the frame as it was on the wire. Frames the
namespace itself sends on IFACE (PACKET_OUTGOING) are ignored. A second tag
(802.1ad/QinQ: --inner-vlan, an 802.1Q tag inside the --tpid one) is parsed
too, so a frame's payload and EtherType are what follows both. A sent frame
of the default EtherType (0x88b5, local experimental) carries
"KVNET <tag> <seq>" so a capture can tell it from any other traffic.
--kind sends what a hostile guest would instead: a configuration BPDU
claiming the root with --bpdu-priority (to 01:80:C2:00:00:00), a DHCPOFFER
(UDP 67 -> 68, broadcast, offering 10.66.0.66 with itself as router and DNS),
or an IPv6 Router Advertisement (to ff02::1, prefix 2001:db8:66::/64).

`expect` exits 0 once --count matching frames were seen, 1 at --timeout
after printing what it expected and every frame it saw from --src instead.
`count` listens for the whole --timeout and prints the number of matching
frames. `ping` sends ICMP echo requests through the kernel's stack (a raw
ICMP socket: ARP and routing as the namespace has them) and exits 0 once
--count replies came back, 1 at --timeout. With --ready-file, a capture
creates that file once its socket is listening; with --stop-file, it
stops --grace seconds after that file appears (or at --timeout).

`dns` asks --server (UDP port 53, through the namespace's stack) for NAME
and prints the rcode name, then each answer's data, one per line; it exits
0 once an answer came (NOERROR or not), 1 at --timeout; an SRV answer is
printed "PRIORITY WEIGHT PORT TARGET". `dnsserve` is a fake upstream DNS
server on ADDR:53 (UDP): it appends "NAME QTYPE" of each query to --log and
answers A queries with --answer, PTR with --ptr-name, others with no data. `serve` accepts TCP
connections on ADDR:PORT until --timeout and appends "PEER_IP PEER_PORT"
to --log for each, answering "kvnet-served"; `connect` opens a TCP
connection, exits 0 if that answer came back within --timeout, else 1.
"""

import argparse
import os
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
PACKET_OUTGOING = 4
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
AUXDATA_FMT = "IIIHHHH"  # struct tpacket_auxdata
TEST_ETHERTYPE = 0x88B5
NETNS_ENV = "KVNET_FRAMES_NETNS"


def die(msg):
    print(f"frames.py: {msg}", file=sys.stderr)
    sys.exit(2)


def enter_netns(ns, argv):
    """Re-execute this script inside network namespace @ns, unless already there."""
    if not ns or os.environ.get(NETNS_ENV) == ns:
        return
    env = dict(os.environ)
    env[NETNS_ENV] = ns
    args = ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__)] + argv
    try:
        os.execvpe("ip", args, env)
    except OSError as e:
        die(f"cannot run ip netns exec {ns}: {e}")


def mac_arg(s):
    parts = s.split(":")
    if len(parts) != 6 or not all(len(p) == 2 for p in parts):
        raise argparse.ArgumentTypeError(f"'{s}' is not a MAC address (aa:bb:cc:dd:ee:ff)")
    try:
        bytes(int(p, 16) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{s}' is not a MAC address (aa:bb:cc:dd:ee:ff)")
    return s.lower()


def int_arg(s):
    return int(s, 0)


def build_frame(a, seq):
    """Return the bytes of frame number @seq as the send options describe it."""
    import logging
    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
    from scapy.layers.l2 import ARP, Dot1Q, Ether
    from scapy.packet import Raw

    if a.kind:
        return pad60(build_hostile(a))
    if a.arp_request:
        inner_type = 0x0806
        payload = ARP(op=1, hwsrc=a.src, psrc=a.arp_sender, hwdst="00:00:00:00:00:00",
                      pdst=a.arp_request)
    else:
        inner_type = a.ethertype
        payload = Raw(load=f"KVNET {a.tag} {seq} ".encode())
    if a.vlan is not None and a.inner_vlan is not None:
        frame = Ether(src=a.src, dst=a.dst, type=a.tpid) / \
            Dot1Q(prio=a.pcp, vlan=a.vlan, type=0x8100) / \
            Dot1Q(vlan=a.inner_vlan, type=inner_type) / payload
    elif a.vlan is not None:
        frame = Ether(src=a.src, dst=a.dst, type=a.tpid) / \
            Dot1Q(prio=a.pcp, vlan=a.vlan, type=inner_type) / payload
    else:
        frame = Ether(src=a.src, dst=a.dst, type=inner_type) / payload
    return pad60(bytes(frame))


def pad60(raw):
    if len(raw) < 60:
        raw += b"\0" * (60 - len(raw))
    return raw


def build_hostile(a):
    """The bytes of a --kind frame: what only infrastructure may send."""
    from scapy.layers.dhcp import BOOTP, DHCP
    from scapy.layers.inet import IP, UDP
    from scapy.layers.inet6 import ICMPv6ND_RA, ICMPv6NDOptPrefixInfo, IPv6
    from scapy.layers.l2 import LLC, STP, Dot3, Ether

    if a.kind == "bpdu":
        return bytes(Dot3(src=a.src, dst="01:80:c2:00:00:00") /
                     LLC(dsap=0x42, ssap=0x42, ctrl=3) /
                     STP(rootid=a.bpdu_priority, rootmac=a.src, pathcost=0,
                         bridgeid=a.bpdu_priority, bridgemac=a.src, portid=0x8001))
    if a.kind == "dhcp-offer":
        return bytes(Ether(src=a.src, dst="ff:ff:ff:ff:ff:ff") /
                     IP(src="10.66.0.1", dst="255.255.255.255") / UDP(sport=67, dport=68) /
                     BOOTP(op=2, xid=0x6666, yiaddr="10.66.0.66", siaddr="10.66.0.1",
                           chaddr=bytes.fromhex(a.src.replace(":", ""))) /
                     DHCP(options=[("message-type", "offer"), ("server_id", "10.66.0.1"),
                                   ("router", "10.66.0.1"), ("name_server", "10.66.0.1"),
                                   ("lease_time", 3600), "end"]))
    return bytes(Ether(src=a.src, dst="33:33:00:00:00:01") /
                 IPv6(src="fe80::66", dst="ff02::1", hlim=255) / ICMPv6ND_RA() /
                 ICMPv6NDOptPrefixInfo(prefix="2001:db8:66::", prefixlen=64))


def cmd_send(a):
    if a.arp_request and not a.arp_sender:
        die("--arp-request needs --arp-sender")
    if a.inner_vlan is not None and a.vlan is None:
        die("--inner-vlan needs --vlan (the outer tag)")
    if a.src is None:
        with open(f"/sys/class/net/{a.iface}/address") as f:
            a.src = f.read().strip()
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    try:
        s.bind((a.iface, 0))
        for seq in range(a.count):
            s.send(build_frame(a, seq))
    except OSError as e:
        die(f"cannot send on {a.iface}: {e}")
    finally:
        s.close()
    print(f"sent {a.count} frame(s) on {a.iface}: {describe_send(a)}", file=sys.stderr)
    return 0


def describe_send(a):
    d = f"{a.src} > {a.dst}"
    d += f" tpid {a.tpid:#06x} vlan {a.vlan} pcp {a.pcp}" if a.vlan is not None else " untagged"
    if a.inner_vlan is not None:
        d += f" inner vlan {a.inner_vlan}"
    if a.kind:
        d += f" {a.kind}"
    elif a.arp_request:
        d += f" ARP who-has {a.arp_request} tell {a.arp_sender}"
    else:
        d += f" type {a.ethertype:#06x} tag '{a.tag}'"
    return d


class Seen:
    """One received frame, its tag put back from the auxdata."""

    def __init__(self, data, aux):
        self.raw = data
        self.dst = data[0:6].hex(":")
        self.src = data[6:12].hex(":")
        self.tpid = None
        self.vid = None
        self.pcp = None
        self.inner_vid = None
        if aux is not None:
            status, _, _, _, _, tci, tpid = aux
            if status & TP_STATUS_VLAN_VALID or tci:
                if not status & TP_STATUS_VLAN_TPID_VALID or tpid == 0:
                    tpid = 0x8100
                self.raw = data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
        outer = struct.unpack("!H", self.raw[12:14])[0] if len(self.raw) >= 14 else 0
        if outer in (0x8100, 0x88A8) and len(self.raw) >= 18:
            tci = struct.unpack("!H", self.raw[14:16])[0]
            self.tpid = outer
            self.vid = tci & 0xFFF
            self.pcp = tci >> 13
            self.ethertype = struct.unpack("!H", self.raw[16:18])[0]
            self.payload = self.raw[18:]
            if self.ethertype in (0x8100, 0x88A8) and len(self.raw) >= 22:
                self.inner_vid = struct.unpack("!H", self.raw[18:20])[0] & 0xFFF
                self.ethertype = struct.unpack("!H", self.raw[20:22])[0]
                self.payload = self.raw[22:]
        else:
            self.ethertype = outer
            self.payload = self.raw[14:]

    def describe(self):
        d = f"{self.src} > {self.dst}"
        if self.vid is not None:
            d += f" tpid {self.tpid:#06x} vlan {self.vid} pcp {self.pcp}"
            if self.inner_vid is not None:
                d += f" inner vlan {self.inner_vid}"
        else:
            d += " untagged"
        d += f" type {self.ethertype:#06x} len {len(self.raw)}"
        if self.ethertype == TEST_ETHERTYPE and self.payload.startswith(b"KVNET "):
            words = self.payload.split(b" ")
            if len(words) >= 3:
                d += f" tag '{words[1].decode(errors='replace')}' seq {words[2].decode(errors='replace')}"
        return d


def matches(a, f):
    """Return None if frame @f is what the capture options ask for, else why not."""
    if f.src != a.src:
        return "source"
    if a.dst is not None and f.dst != a.dst:
        return "destination"
    if a.vlan is not None:
        if f.vid is None:
            return f"untagged, expected vlan {a.vlan}"
        if f.vid != a.vlan or f.tpid != (a.tpid or 0x8100):
            return f"vlan {f.vid} tpid {f.tpid:#06x}, expected vlan {a.vlan}"
    if a.inner_vlan is not None and f.inner_vid != a.inner_vlan:
        return f"inner vlan {f.inner_vid}, expected inner vlan {a.inner_vlan}"
    if a.no_inner and f.inner_vid is not None:
        return f"inner vlan {f.inner_vid}, expected no inner tag"
    if a.untagged and f.vid is not None:
        return f"tagged vlan {f.vid}, expected untagged"
    if a.pcp is not None and f.pcp != a.pcp:
        return f"pcp {f.pcp}, expected pcp {a.pcp}"
    if a.ethertype is not None and f.ethertype != a.ethertype:
        return f"type {f.ethertype:#06x}, expected {a.ethertype:#06x}"
    if a.tag is not None and not f.payload.startswith(f"KVNET {a.tag} ".encode()):
        return "tag"
    return None


def describe_filter(a):
    d = f"from {a.src}"
    if a.dst:
        d += f" to {a.dst}"
    if a.vlan is not None:
        d += f" tagged vlan {a.vlan}"
        if a.tpid:
            d += f" tpid {a.tpid:#06x}"
    if a.inner_vlan is not None:
        d += f" inner vlan {a.inner_vlan}"
    if a.no_inner:
        d += " no inner tag"
    if a.untagged:
        d += " untagged"
    if a.pcp is not None:
        d += f" pcp {a.pcp}"
    if a.ethertype is not None:
        d += f" type {a.ethertype:#06x}"
    if a.tag is not None:
        d += f" tag '{a.tag}'"
    return d


def open_capture(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
    s.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
    s.bind((iface, ETH_P_ALL))
    s.setblocking(False)
    return s


def capture(a, stop_at_count):
    """Read frames on a.iface until a.timeout; return (matched, others seen from a.src)."""
    try:
        s = open_capture(a.iface)
    except OSError as e:
        die(f"cannot capture on {a.iface}: {e}")
    if a.ready_file:
        with open(a.ready_file, "w") as f:
            f.write(f"{os.getpid()}\n")
    matched = []
    others = []
    deadline = time.monotonic() + a.timeout
    stopping = False
    aux_len = struct.calcsize(AUXDATA_FMT)
    while True:
        if stop_at_count and len(matched) >= a.count:
            break
        now = time.monotonic()
        if a.stop_file and not stopping and os.path.exists(a.stop_file):
            stopping = True
            deadline = min(deadline, now + a.grace)
        left = deadline - now
        if left <= 0:
            break
        r, _, _ = select.select([s], [], [], min(left, 0.1) if a.stop_file else left)
        if not r:
            continue
        while True:
            try:
                data, anc, _, addr = s.recvmsg(65600, socket.CMSG_SPACE(aux_len))
            except BlockingIOError:
                break
            if addr[2] == PACKET_OUTGOING or len(data) < 14:
                continue
            aux = None
            for level, typ, cdata in anc:
                if level == SOL_PACKET and typ == PACKET_AUXDATA and len(cdata) >= aux_len:
                    aux = struct.unpack(AUXDATA_FMT, cdata[:aux_len])
            f = Seen(data, aux)
            why = matches(a, f)
            if why is None:
                matched.append(f)
            elif why != "source":
                others.append((f, why))
    s.close()
    return matched, others


def cmd_expect(a):
    matched, others = capture(a, True)
    want = describe_filter(a)
    if len(matched) >= a.count:
        print(f"{a.iface}: seen {len(matched)} frame(s) {want}: {matched[0].describe()}",
              file=sys.stderr)
        return 0
    print(f"{a.iface}: expected {a.count} frame(s) {want} within {a.timeout} s, "
          f"seen {len(matched)}", file=sys.stderr)
    if others:
        print(f"{a.iface}: other frames seen from {a.src}:", file=sys.stderr)
        for f, why in others[:20]:
            print(f"    {f.describe()} ({why})", file=sys.stderr)
    else:
        print(f"{a.iface}: no other frame seen from {a.src}", file=sys.stderr)
    return 1


def cmd_count(a):
    matched, _ = capture(a, False)
    for f in matched[:20]:
        print(f"{a.iface}: seen {f.describe()}", file=sys.stderr)
    print(len(matched))
    return 0


def icmp_checksum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack(f"!{len(b) // 2}H", b))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def cmd_ping(a):
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
    except OSError as e:
        die(f"cannot open a raw ICMP socket: {e}")
    ident = os.getpid() & 0xFFFF
    sent = 0
    replies = set()
    deadline = time.monotonic() + a.timeout
    next_send = time.monotonic()
    while len(replies) < a.count:
        now = time.monotonic()
        if now >= deadline:
            break
        if now >= next_send:
            body = struct.pack("!d", now) + b"kvnet-ping" * 4
            hdr = struct.pack("!BBHHH", 8, 0, 0, ident, sent)
            pkt = struct.pack("!BBHHH", 8, 0, icmp_checksum(hdr + body), ident, sent) + body
            try:
                s.sendto(pkt, (a.dst, 0))
            except OSError as e:
                # no route or no neighbour yet: counted as lost, as ping does
                print(f"ping {a.dst}: {e}", file=sys.stderr)
            sent += 1
            next_send = now + a.interval
        wait = max(0.0, min(next_send, deadline) - time.monotonic())
        r, _, _ = select.select([s], [], [], wait)
        if not r:
            continue
        data, addr = s.recvfrom(65535)
        ihl = (data[0] & 0x0F) * 4
        if len(data) < ihl + 8 or addr[0] != a.dst:
            continue
        typ, _, _, rid, rseq = struct.unpack("!BBHHH", data[ihl:ihl + 8])
        if typ == 0 and rid == ident:
            replies.add(rseq)
    s.close()
    ok = len(replies) >= a.count
    print(f"ping {a.dst}: {sent} transmitted, {len(replies)} received"
          f"{'' if ok else f', expected {a.count} within {a.timeout} s'}", file=sys.stderr)
    return 0 if ok else 1


def cmd_dns(a):
    from scapy.layers.dns import DNS, DNSQR  # pylint: disable=import-outside-toplevel
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    qid = os.getpid() & 0xFFFF
    q = bytes(DNS(id=qid, rd=1, qd=DNSQR(qname=a.name, qtype=a.type)))
    deadline = time.monotonic() + a.timeout
    next_send = 0.0
    while True:
        now = time.monotonic()
        if now >= deadline:
            print(f"dns {a.name} @{a.server}: no answer within {a.timeout} s", file=sys.stderr)
            return 1
        if now >= next_send:
            try:
                s.sendto(q, (a.server, 53))
            except OSError as e:
                print(f"dns {a.name} @{a.server}: {e}", file=sys.stderr)
            next_send = now + 1.0
        r, _, _ = select.select([s], [], [], max(0.0, min(next_send, deadline) - now))
        if not r:
            continue
        data, addr = s.recvfrom(65535)
        if addr[0] != a.server:
            continue
        try:
            d = DNS(data)
        except Exception:  # pylint: disable=broad-except
            continue
        if d.id != qid or not d.qr:
            continue
        rcodes = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP",
                  5: "REFUSED"}
        print(rcodes.get(d.rcode, f"RCODE{d.rcode}"))
        for i in range(d.ancount):
            rr = d.an[i]
            if rr.type == 33:  # SRV: priority weight port target, as dig prints it
                t = rr.target.decode(errors="replace") if isinstance(rr.target, bytes) \
                    else str(rr.target)
                print(f"{rr.priority} {rr.weight} {rr.port} {t}")
                continue
            v = rr.rdata
            if isinstance(v, (list, tuple)):  # TXT: its strings
                v = " ".join(x.decode(errors="replace") if isinstance(x, bytes) else str(x)
                             for x in v)
            elif isinstance(v, bytes):
                v = v.decode(errors="replace")
            print(v)
        return 0


def inet_family(addr):
    """AF_INET6 for an IPv6 address (it has a ':'), else AF_INET."""
    return socket.AF_INET6 if ":" in addr else socket.AF_INET


def server_socket(a, kind, port):
    """A socket of @kind bound to a.addr:@port (listening, for a stream), with a.ready_file
    made once it is; exits with a message if it cannot bind."""
    s = socket.socket(inet_family(a.addr), kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind((a.addr, port))
    except OSError as e:
        die(f"cannot bind {a.addr}:{port}: {e}")
    if kind == socket.SOCK_STREAM:
        s.listen(16)
    if a.ready_file:
        with open(a.ready_file, "w", encoding="ascii"):
            pass
    return s


def server_wait(s, deadline):
    """Wait until @s is readable: True, or False once @deadline (monotonic) has passed."""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        r, _, _ = select.select([s], [], [], left)
        if r:
            return True


def cmd_dnsserve(a):
    """A fake upstream DNS server: log each query, answer A with --answer, PTR with
    --ptr-name, anything else NOERROR without an answer."""
    from scapy.layers.dns import DNS, DNSRR  # pylint: disable=import-outside-toplevel
    s = server_socket(a, socket.SOCK_DGRAM, 53)
    deadline = time.monotonic() + a.timeout
    while server_wait(s, deadline):
        data, peer = s.recvfrom(65535)
        try:
            q = DNS(data)
            qname = q.qd.qname.decode(errors="replace").rstrip(".").lower()
            qtype = q.qd.qtype
        except Exception:  # pylint: disable=broad-except
            continue
        with open(a.log, "a", encoding="ascii") as f:
            f.write(f"{qname} {qtype}\n")
        an = None
        if qtype == 1:
            an = DNSRR(rrname=q.qd.qname, type="A", ttl=60, rdata=a.answer)
        elif qtype == 12:
            an = DNSRR(rrname=q.qd.qname, type="PTR", ttl=60, rdata=a.ptr_name)
        resp = DNS(id=q.id, qr=1, rd=q.rd, ra=1, qd=q.qd, an=an)
        s.sendto(bytes(resp), peer)
    return 0


def cmd_serve(a):
    s = server_socket(a, socket.SOCK_STREAM, a.port)
    deadline = time.monotonic() + a.timeout
    while server_wait(s, deadline):
        c, peer = s.accept()
        with open(a.log, "a", encoding="ascii") as f:
            f.write(f"{peer[0]} {peer[1]}\n")
        try:
            c.sendall(b"kvnet-served\n")
        except OSError:
            pass
        c.close()
    return 0


def cmd_connect(a):
    try:
        c = socket.create_connection((a.addr, a.port), timeout=a.timeout)
        c.settimeout(a.timeout)
        data = c.recv(64)
        c.close()
    except OSError as e:
        print(f"connect {a.addr}:{a.port}: {e}", file=sys.stderr)
        return 1
    if data.startswith(b"kvnet-served"):
        print(f"connect {a.addr}:{a.port}: served", file=sys.stderr)
        return 0
    print(f"connect {a.addr}:{a.port}: unexpected answer {data!r}", file=sys.stderr)
    return 1


def parser():
    p = argparse.ArgumentParser(prog="frames.py", description="raw frames for kvnet tests")
    sub = p.add_subparsers(dest="cmd", required=True)

    ps = sub.add_parser("send", help="send frames on IFACE")
    ps.add_argument("iface")
    ps.add_argument("--netns")
    ps.add_argument("--src", type=mac_arg, help="default: IFACE's own address")
    ps.add_argument("--dst", type=mac_arg, default="ff:ff:ff:ff:ff:ff")
    ps.add_argument("--vlan", type=int, help="push an 802.1Q tag with this VID (0..4095)")
    ps.add_argument("--pcp", type=int, default=0, help="priority in the tag (0..7)")
    ps.add_argument("--tpid", type=int_arg, default=0x8100)
    ps.add_argument("--inner-vlan", type=int, help="an 802.1Q tag inside the --vlan one")
    ps.add_argument("--ethertype", type=int_arg, default=TEST_ETHERTYPE)
    ps.add_argument("--tag", default="-", help="marker carried in the payload")
    ps.add_argument("--count", type=int, default=1)
    ps.add_argument("--arp-request", metavar="IP", help="send an ARP request for IP")
    ps.add_argument("--arp-sender", metavar="IP", help="sender IP of the ARP request")
    ps.add_argument("--kind", choices=("bpdu", "dhcp-offer", "ra"),
                    help="a hostile guest's frame instead of a test frame")
    ps.add_argument("--bpdu-priority", type=int, default=0, help="of a --kind bpdu's root")

    for name in ("expect", "count"):
        pc = sub.add_parser(name, help=f"{name} frames received on IFACE")
        pc.add_argument("iface")
        pc.add_argument("--netns")
        pc.add_argument("--src", type=mac_arg, required=True)
        pc.add_argument("--dst", type=mac_arg)
        g = pc.add_mutually_exclusive_group()
        g.add_argument("--vlan", type=int)
        g.add_argument("--untagged", action="store_true")
        pc.add_argument("--tpid", type=int_arg, help="of the --vlan tag (default 0x8100)")
        gi = pc.add_mutually_exclusive_group()
        gi.add_argument("--inner-vlan", type=int)
        gi.add_argument("--no-inner", action="store_true")
        pc.add_argument("--pcp", type=int)
        pc.add_argument("--ethertype", type=int_arg)
        pc.add_argument("--tag")
        pc.add_argument("--count", type=int, default=1)
        pc.add_argument("--timeout", type=float, required=True)
        pc.add_argument("--ready-file")
        pc.add_argument("--stop-file", help="once this file exists, stop after --grace s")
        pc.add_argument("--grace", type=float, default=3.0)

    pp = sub.add_parser("ping", help="ICMP echo through the namespace's own stack")
    pp.add_argument("dst")
    pp.add_argument("--netns")
    pp.add_argument("--count", type=int, default=1)
    pp.add_argument("--interval", type=float, default=0.5)
    pp.add_argument("--timeout", type=float, required=True)

    pd = sub.add_parser("dns", help="one DNS query through the namespace's own stack")
    pd.add_argument("name")
    pd.add_argument("--netns")
    pd.add_argument("--server", required=True)
    pd.add_argument("--type", default="A")
    pd.add_argument("--timeout", type=float, required=True)

    pu = sub.add_parser("dnsserve", help="a fake upstream DNS server that logs queries")
    pu.add_argument("addr")
    pu.add_argument("--netns")
    pu.add_argument("--log", required=True)
    pu.add_argument("--answer", required=True, help="the address of every A answer")
    pu.add_argument("--ptr-name", default="upstream.test.", help="every PTR answer")
    pu.add_argument("--timeout", type=float, required=True)
    pu.add_argument("--ready-file")

    pv = sub.add_parser("serve", help="accept TCP connections, log their peers")
    pv.add_argument("addr")
    pv.add_argument("port", type=int)
    pv.add_argument("--netns")
    pv.add_argument("--log", required=True)
    pv.add_argument("--timeout", type=float, required=True)
    pv.add_argument("--ready-file")

    pn = sub.add_parser("connect", help="a TCP connection to a serve")
    pn.add_argument("addr")
    pn.add_argument("port", type=int)
    pn.add_argument("--netns")
    pn.add_argument("--timeout", type=float, required=True)
    return p


def main(argv):
    a = parser().parse_args(argv)
    enter_netns(a.netns, argv)
    if a.cmd == "send":
        if a.vlan is not None and not 0 <= a.vlan <= 4095:
            die(f"vlan {a.vlan} is out of range (expected 0..4095)")
        if not 0 <= a.pcp <= 7:
            die(f"pcp {a.pcp} is out of range (expected 0..7)")
        return cmd_send(a)
    if a.cmd == "expect":
        return cmd_expect(a)
    if a.cmd == "count":
        return cmd_count(a)
    if a.cmd == "dns":
        return cmd_dns(a)
    if a.cmd == "serve":
        return cmd_serve(a)
    if a.cmd == "dnsserve":
        return cmd_dnsserve(a)
    if a.cmd == "connect":
        return cmd_connect(a)
    return cmd_ping(a)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
