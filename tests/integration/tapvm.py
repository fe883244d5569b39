#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""tapvm.py - play QEMU behind a tap libvirt made, for kvnet's ovs-vsctl tests.

  tapvm.py NAME --mac MAC --fifo PATH --log PATH [--ready-file F] [--timeout S]

Makes tap NAME as libvirt does (TUNSETIFF with IFF_TAP|IFF_NO_PI|IFF_VNET_HDR, not
persistent: it goes when this process ends), gives it MAC (libvirt's fe:54:... form of
the guest's) and leaves it down, as libvirt leaves it while it runs ovs-vsctl. Then it
creates --ready-file and holds the tap as QEMU would: what it reads from the tap is what
the guest receives, what it writes is what the guest sends.

Commands come one a line through the FIFO --fifo (made by this program):
  send SRC DST TAG N   write N frames of EtherType 0x88b5 from SRC to DST carrying
                       "KVNET TAG SEQ" (SEQ 0..N-1), as the guest sends them
  quit                 end (the tap goes with the process)
Each such frame received is appended to --log as "rx SRC TAG SEQ VID", VID being the
802.1Q VID it came with, or 0 untagged. It ends by itself after --timeout seconds.
"""
import argparse
import fcntl
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000
IFF_VNET_HDR = 0x4000
VNET_HDR_LEN = 10  # struct virtio_net_hdr, the tap's default vnet header size
ETHERTYPE = 0x88B5


def mac_bytes(text):
    return bytes(int(x, 16) for x in text.split(":"))


def mac_text(b):
    return ":".join("%02x" % x for x in b)


def frame(src, dst, tag, seq):
    payload = ("KVNET %s %d" % (tag, seq)).encode()
    f = mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", ETHERTYPE) + payload
    return f + bytes(max(0, 60 - len(f)))


def received(data, log):
    if len(data) < 14:
        return
    etype = struct.unpack("!H", data[12:14])[0]
    vid, off = 0, 14
    if etype == 0x8100 and len(data) >= 18:
        vid = struct.unpack("!H", data[14:16])[0] & 0xFFF
        etype = struct.unpack("!H", data[16:18])[0]
        off = 18
    if etype != ETHERTYPE:
        return
    words = data[off:].rstrip(b"\0").decode(errors="replace").split()
    if len(words) == 3 and words[0] == "KVNET":
        log.write("rx %s %s %s %d\n" % (mac_text(data[6:12]), words[1], words[2], vid))
        log.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("name")
    ap.add_argument("--mac", required=True)
    ap.add_argument("--fifo", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--ready-file")
    ap.add_argument("--timeout", type=float, default=600)
    a = ap.parse_args()

    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", a.name.encode(),
                                           IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
    if os.system("ip link set dev %s address %s" % (a.name, a.mac)) != 0:
        sys.exit("tapvm.py: cannot set %s's MAC" % a.name)
    if not os.path.exists(a.fifo):
        os.mkfifo(a.fifo)
    # read and write ends both here: no EOF when a writer comes and goes
    ctl = os.open(a.fifo, os.O_RDWR | os.O_NONBLOCK)
    log = open(a.log, "a")
    if a.ready_file:
        open(a.ready_file, "w").close()
    deadline = time.time() + a.timeout
    pending = b""
    while time.time() < deadline:
        r, _, _ = select.select([fd, ctl], [], [], 0.5)
        if fd in r:
            try:
                while True:
                    received(os.read(fd, 65536)[VNET_HDR_LEN:], log)
            except BlockingIOError:
                pass
        if ctl in r:
            pending += os.read(ctl, 4096)
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                w = line.decode().split()
                if w == ["quit"]:
                    return 0
                if len(w) == 5 and w[0] == "send":
                    for seq in range(int(w[4])):
                        os.write(fd, bytes(VNET_HDR_LEN) + frame(w[1], w[2], w[3], seq))
                        time.sleep(0.01)
    return 0


if __name__ == "__main__":
    sys.exit(main())
