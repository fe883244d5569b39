/* SPDX-License-Identifier: GPL-2.0-or-later */
/* af_packet_ring.c - a dev: port's receive ring (PACKET_RX_RING, TPACKET_V2)
 *
 * Theory of Operation
 *
 * The kernel writes each frame it queues for the socket into the next slot
 * of a ring shared with us (mmap) and flips the slot's status to
 * TP_STATUS_USER; rx_burst walks the slots from its head, copies each frame
 * into the caller's buffer and hands the slot back (TP_STATUS_KERNEL) at once.
 * Reading costs no system call while frames keep coming, where recvmmsg()
 * cost one per burst. The socket stays the fd the datapath polls: it is
 * readable while the slot before the kernel's next one is ours.
 *
 * Why TPACKET_V2 and not V3. V3 packs frames into blocks and hands a block
 * over only when it is full or its retire timer fires (1 ms at the least,
 * a few jiffies in practice), and wakes the reader only then: a ping through
 * an idle switch would wait that long at each dev: port, ten times the
 * round trip the datapath's busy polling reaches. V2 hands every frame over,
 * and wakes the reader, as soon as it is written. Both carry the
 * virtio-net header (it is written just before the frame, at tp_mac - 10) and
 * the VLAN tag the kernel took out (tp_vlan_tci, TP_STATUS_VLAN_VALID).
 *
 * Slots are fixed in size, and a GRO'd or GSO frame can be 64 KiB: slots that
 * large would cost 64 KiB of locked memory for every small frame. So slots
 * hold an MTU-1500 frame (2 KiB), and PACKET_COPY_THRESH makes the kernel
 * queue a frame that does not fit on the socket's ordinary receive queue,
 * whole, marking its slot TP_STATUS_COPY; that frame is read with recvmsg()
 * as before, in its turn. If the queue was full too (SO_RCVBUF) the slot
 * holds only the start of the frame: it is dropped and counted as an overrun.
 *
 * The ring: AF_PACKET_RING_BLOCKS blocks of 64 KiB (order-4 pages, which the
 * kernel finds even on a fragmented host, or falls back to vmalloc), 2 MiB in
 * all, 1024 slots: about as many small frames as the 4 MiB receive buffer held
 * (a small frame's skb counts ~1-2 KiB against it).
 *
 * The interface going down or away is the socket's error (ENETDOWN), which
 * only a system call reports: rx_burst asks for it (SO_ERROR) when it was
 * called and the ring had nothing, which a busy ring is never. It does not
 * read the queue then: a frame for a TP_STATUS_COPY slot is queued before the
 * kernel marks its slot, and would be read ahead of the frames before it.
 */

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>

#include "port/af_packet_priv.h"

#define AF_PACKET_RING_SLOT 2048
#define AF_PACKET_RING_BLOCK (64 * 1024)
#define AF_PACKET_RING_BLOCKS 32

_Static_assert(AF_PACKET_RING_BLOCK % AF_PACKET_RING_SLOT == 0, "slots fill blocks");

static struct tpacket2_hdr *af_packet_ring_slot(const struct af_packet_ring *r, unsigned int i)
{
	return (struct tpacket2_hdr *)(void *)(r->map + (size_t)i * r->slot_size);
}

/* the slot is the kernel's again: everything read from it is read before */
static void af_packet_ring_release(struct af_packet_ring *r, struct tpacket2_hdr *h)
{
	__atomic_store_n(&h->tp_status, TP_STATUS_KERNEL, __ATOMIC_RELEASE);
	if (++r->head == r->nr)
		r->head = 0;
}

/*
 * Copy the frame of slot @h into @f, with its offload metadata and tag.
 * Return: 0, or -1 if the slot does not describe a frame @f can hold
 */
static int af_packet_ring_copy(const struct af_packet_ring *r, const struct tpacket2_hdr *h,
			       uint32_t status, struct frame *f)
{
	const uint8_t *slot = (const uint8_t *)h;
	struct af_packet_vnet vnet;
	uint32_t len = h->tp_snaplen;

	if (h->tp_mac < sizeof(vnet) || h->tp_mac + len > r->slot_size ||
	    len > f->size - FRAME_HEADROOM)
		return -1;
	f->data = f->head + FRAME_HEADROOM;
	memcpy(f->data, slot + h->tp_mac, len);
	f->len = len;
	memcpy(&vnet, slot + h->tp_mac - sizeof(vnet), sizeof(vnet));
	af_packet_vnet_to_meta(&vnet, &f->vnet);
	return af_packet_put_tag(f, status, h->tp_vlan_tci, h->tp_vlan_tpid);
}

/*
 * Called with nothing in the ring: the wake-up was the socket's error, or a frame queued for
 * a TP_STATUS_COPY slot the kernel has not marked yet (it is read in its turn, not now).
 * Return: -ENETDOWN if the interface went down or away, else 0 (another error is counted)
 */
static int af_packet_ring_error(struct port *p)
{
	socklen_t len = sizeof(int);
	int e = 0;

	if (getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0)
		return -errno;
	if (e == ENETDOWN || e == ENXIO || e == ENODEV)
		return -ENETDOWN;
	if (e)
		p->rx_errors++; /* reported once, as recvmmsg() would have, and not for good */
	return 0;
}

void af_packet_ring_drain(struct af_packet_port *a)
{
	struct af_packet_ring *r = &a->ring;

	for (unsigned int i = 0; r->map && i < r->nr; i++) {
		struct tpacket2_hdr *h = af_packet_ring_slot(r, r->head);

		if (!(__atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE) & TP_STATUS_USER))
			break;
		af_packet_ring_release(r, h);
	}
}

int af_packet_ring_rx_burst(struct port *p, struct frame **frames, unsigned n)
{
	struct af_packet_port *a = (struct af_packet_port *)p;
	struct af_packet_ring *r = &a->ring;
	unsigned int got = 0, seen = 0;

	while (got < n) {
		struct tpacket2_hdr *h = af_packet_ring_slot(r, r->head);
		uint32_t status = __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
		int k;

		if (!(status & TP_STATUS_USER))
			break;
		seen++;
		if (status & TP_STATUS_COPY) {
			/* too big for a slot: the whole frame waits on the socket's queue */
			af_packet_ring_release(r, h);
			k = af_packet_recv_burst(p, &frames[got], 1);
			if (k < 0)
				return got ? (int)got : k;
			if (!k)
				p->rx_errors++;
			got += (unsigned int)k;
			continue;
		}
		if (h->tp_snaplen < h->tp_len) {
			/* too big for a slot and no room on the queue: the kernel kept only its start */
			p->rx_overrun++;
		} else if (af_packet_ring_copy(r, h, status, frames[got])) {
			p->rx_errors++;
		} else {
			got++;
		}
		af_packet_ring_release(r, h);
	}
	if (!seen)
		return af_packet_ring_error(p);
	return (int)got;
}

int af_packet_ring_setup(struct af_packet_port *a)
{
	struct tpacket_req req = {
		.tp_block_size = AF_PACKET_RING_BLOCK,
		.tp_block_nr = AF_PACKET_RING_BLOCKS,
		.tp_frame_size = AF_PACKET_RING_SLOT,
		.tp_frame_nr = AF_PACKET_RING_BLOCKS * (AF_PACKET_RING_BLOCK / AF_PACKET_RING_SLOT),
	};
	int fd = a->port.fd, version = TPACKET_V2, one = 1, ret;
	size_t len = (size_t)req.tp_block_size * req.tp_block_nr;
	void *map;

	if (setsockopt(fd, SOL_PACKET, PACKET_VERSION, &version, sizeof(version)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_COPY_THRESH, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req)) < 0)
		return -errno;
	map = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		ret = -errno;
		memset(&req, 0, sizeof(req));
		(void)setsockopt(fd, SOL_PACKET, PACKET_RX_RING, &req, sizeof(req));
		return ret;
	}
	a->ring.map = map;
	a->ring.map_len = len;
	a->ring.nr = req.tp_frame_nr;
	a->ring.slot_size = req.tp_frame_size;
	a->ring.head = 0;
	return 0;
}

void af_packet_ring_free(struct af_packet_port *a)
{
	if (!a->ring.map)
		return;
	munmap(a->ring.map, a->ring.map_len);
	a->ring.map = NULL;
}
