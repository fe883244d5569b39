/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vhost.c - the vhost-user device's pure parts: translation, messages, chains, frames
 *
 * The guest's memory is an array here; the test plays the driver: it writes descriptors and
 * available entries, and reads what the device put in the used rings and buffers. The
 * offload tests build TCP frames with gso_build.h, independent of core/gso.c.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/gso.h"
#include "gso_build.h"
#include "port/vhost_user_dev.h"

/* room for a 64 KiB frame from the guest at 0x10000 and 72 KiB of buffers at 0x30000 */
#define MEM_SIZE 0x50000
#define UVA 0x7f0000000000ull
#define RING 8
/* per ring i: table at i * 0x800, available ring at + 0x200, used ring at + 0x400 */
#define RING_OFF(i) ((i)*0x800u)

static uint8_t mem[MEM_SIZE] __attribute__((aligned(4096)));
static uint8_t fbuf[4][FRAME_BUF_SIZE];
static uint8_t scratch[FRAME_BUF_SIZE];
static struct vhost_user_dev dev;
static int closed;

static void *t_map(void *ctx, int fd, uint64_t *len)
{
	(void)ctx;
	(void)fd;
	return *len <= MEM_SIZE ? mem : NULL;
}

static void t_unmap(void *ctx, void *addr, uint64_t len)
{
	(void)ctx;
	(void)addr;
	(void)len;
}

static void t_close(void *ctx, int fd)
{
	(void)ctx;
	(void)fd;
	closed++;
}

static const struct vhost_user_env env = { .map = t_map, .unmap = t_unmap, .close_fd = t_close };

/* send one message; its result, and the reply in @reply if not NULL */
static int msg(uint32_t req, const void *payload, uint32_t size, unsigned int nfds,
	       struct vhost_user_msg *reply)
{
	static const int fds[VHOST_USER_FDS_MAX] = { 10, 11, 12, 13, 14, 15, 16, 17 };
	struct vhost_user_msg m = { .hdr = { req, VHOST_USER_VERSION, size } }, r;

	if (payload)
		memcpy(m.u.raw, payload, size);
	int ret = vhost_user_handle(&dev, &m, fds, nfds, reply ? reply : &r);
	return ret;
}

static void setup_dev(uint64_t features)
{
	struct vhost_user_mem t = { .nregions = 1, .r = { { 0, MEM_SIZE, UVA, 0 } } };

	memset(mem, 0, sizeof(mem));
	dev.scratch = scratch;
	vhost_user_dev_init(&dev, &env);
	assert_int_equal(msg(VHOST_USER_SET_FEATURES, &features, 8, 0, NULL), 0);
	assert_int_equal(msg(VHOST_USER_SET_MEM_TABLE, &t, 8 + sizeof(t.r[0]), 1, NULL), 0);
	for (uint32_t i = 0; i < VHOST_USER_RINGS; i++) {
		struct vhost_user_state num = { i, RING };
		struct vhost_user_addr a = { .index = i,
					     .desc = UVA + RING_OFF(i),
					     .avail = UVA + RING_OFF(i) + 0x200,
					     .used = UVA + RING_OFF(i) + 0x400 };
		uint64_t fd = i;

		assert_int_equal(msg(VHOST_USER_SET_VRING_NUM, &num, 8, 0, NULL), 0);
		assert_int_equal(msg(VHOST_USER_SET_VRING_ADDR, &a, sizeof(a), 0, NULL), 0);
		assert_int_equal(msg(VHOST_USER_SET_VRING_KICK, &fd, 8, 1, NULL), 0);
		assert_int_equal(msg(VHOST_USER_SET_VRING_CALL, &fd, 8, 1, NULL), 0);
	}
	assert_true(vhost_user_dev_ready(&dev));
}

static void put_desc(unsigned int ring, unsigned int i, uint64_t addr, uint32_t len, uint16_t flags,
		     uint16_t next)
{
	struct virtq_desc d = { addr, len, flags, next };

	memcpy(mem + RING_OFF(ring) + i * sizeof(d), &d, sizeof(d));
}

/* make head @head available in @ring */
static void avail(unsigned int ring, uint16_t head)
{
	struct virtq_avail *a = (struct virtq_avail *)(mem + RING_OFF(ring) + 0x200);

	a->ring[a->idx % RING] = head;
	a->idx++;
}

static struct virtq_used *used(unsigned int ring)
{
	return (struct virtq_used *)(mem + RING_OFF(ring) + 0x400);
}

static int rx(unsigned int n, uint64_t *drops)
{
	struct frame f[4], *fp[4];
	bool notify, more;

	for (int i = 0; i < 4; i++) {
		frame_init(&f[i], fbuf[i], FRAME_BUF_SIZE);
		fp[i] = &f[i];
	}
	return vhost_user_net_rx(&dev, fp, n, false, drops, &notify, &more);
}

static void test_translation(void **state)
{
	struct virtq_mem m = { .n = 1, .r = { { 0x1000, 0x1000, UVA, mem } } };

	(void)state;
	assert_ptr_equal(virtq_mem_gpa(&m, 0x1000, 0x1000), mem);
	assert_ptr_equal(virtq_mem_gpa(&m, 0x1ff0, 0x10), mem + 0xff0);
	assert_null(virtq_mem_gpa(&m, 0x1ff0, 0x11));	    /* past the end */
	assert_null(virtq_mem_gpa(&m, 0xfff, 2));	    /* before the start */
	assert_null(virtq_mem_gpa(&m, 0x1000, 0));	    /* nothing */
	assert_null(virtq_mem_gpa(&m, 0x1800, UINT64_MAX)); /* wraps */
	assert_ptr_equal(virtq_mem_uva(&m, UVA + 8, 8), mem + 8);
	assert_null(virtq_mem_uva(&m, 0x1000, 8));
}

static void test_messages(void **state)
{
	struct vhost_user_msg r;
	uint64_t v = 1ull << VHOST_USER_PROTOCOL_F_REPLY_ACK;
	struct vhost_user_state s = { 0, 1000 };

	(void)state;
	memset(&dev, 0, sizeof(dev));
	vhost_user_dev_init(&dev, &env);
	assert_int_equal(msg(VHOST_USER_GET_FEATURES, NULL, 0, 0, &r), 0);
	assert_int_equal(r.hdr.size, 8);
	assert_true(r.hdr.flags & VHOST_USER_FLAG_REPLY);
	assert_true(r.u.u64 & 1ull << VIRTIO_NET_F_MRG_RXBUF);
	assert_int_equal(msg(VHOST_USER_SET_PROTOCOL_FEATURES, &v, 8, 0, &r), 0);
	/* REPLY_ACK: asked, a message without an answer of its own gets 0 */
	{
		struct vhost_user_msg m = {
			.hdr = { VHOST_USER_SET_OWNER,
				 VHOST_USER_VERSION | VHOST_USER_FLAG_NEED_REPLY, 0 }
		};

		assert_int_equal(vhost_user_handle(&dev, &m, NULL, 0, &r), 0);
		assert_int_equal(r.hdr.size, 8);
		assert_int_equal(r.u.u64, 0);
	}
	assert_int_equal(msg(VHOST_USER_SET_VRING_NUM, &s, 8, 0, NULL), -EPROTO);
	assert_non_null(strstr(dev.why, "power of two"));
	v = 1ull << 5; /* VIRTIO_NET_F_MAC: not offered */
	assert_int_equal(msg(VHOST_USER_SET_FEATURES, &v, 8, 0, NULL), -EPROTO);
	closed = 0;
	assert_int_equal(msg(VHOST_USER_GET_FEATURES, NULL, 0, 2, NULL), -EPROTO);
	assert_int_equal(closed, 2); /* descriptors of a refused message are closed */
	assert_int_equal(msg(99, NULL, 0, 0, NULL), -EPROTO);
	vhost_user_dev_reset(&dev);
}

static void test_rx_chains(void **state)
{
	uint64_t drops = 0;
	uint8_t frame[60];

	(void)state;
	setup_dev(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_RING_F_INDIRECT_DESC);
	for (unsigned int i = 0; i < sizeof(frame); i++)
		frame[i] = (uint8_t)i;
	/* a header and a frame in two descriptors */
	memcpy(mem + 0x2000 + 12, frame, sizeof(frame));
	put_desc(1, 0, 0x2000, 12, VIRTQ_DESC_F_NEXT, 1);
	put_desc(1, 1, 0x2000 + 12, sizeof(frame), 0, 0);
	avail(1, 0);
	assert_int_equal(rx(4, &drops), 1);
	assert_memory_equal(fbuf[0] + FRAME_HEADROOM, frame, sizeof(frame));
	assert_int_equal(used(1)->idx, 1);
	/* a loop: 2 -> 3 -> 2 */
	put_desc(1, 2, 0x2000, 12, VIRTQ_DESC_F_NEXT, 3);
	put_desc(1, 3, 0x2000 + 12, 60, VIRTQ_DESC_F_NEXT, 2);
	avail(1, 2);
	/* outside the table */
	put_desc(1, 4, MEM_SIZE - 8, 72, 0, 0);
	avail(1, 4);
	/* an indirect table holding an indirect descriptor */
	put_desc(1, 5, 0x3000, 16, VIRTQ_DESC_F_INDIRECT, 0);
	memcpy(mem + 0x3000, &(struct virtq_desc){ 0x3000, 16, VIRTQ_DESC_F_INDIRECT, 0 }, 16);
	avail(1, 5);
	/* a good indirect chain */
	put_desc(1, 6, 0x3100, 32, VIRTQ_DESC_F_INDIRECT, 0);
	memcpy(mem + 0x3100, &(struct virtq_desc){ 0x2000, 12, VIRTQ_DESC_F_NEXT, 1 }, 16);
	memcpy(mem + 0x3110, &(struct virtq_desc){ 0x2000 + 12, 60, 0, 0 }, 16);
	avail(1, 6);
	/* a device-writable buffer in the transmit ring */
	put_desc(1, 7, 0x2000, 72, VIRTQ_DESC_F_WRITE, 0);
	avail(1, 7);
	assert_int_equal(rx(4, &drops), 1);
	assert_int_equal(drops, 4);
	assert_int_equal(used(1)->idx, 6); /* every chain given back */
	assert_memory_equal(fbuf[0] + FRAME_HEADROOM, frame, sizeof(frame));
	/* the driver's index more than a ring ahead breaks the ring */
	((struct virtq_avail *)(mem + RING_OFF(1) + 0x200))->idx += RING + 1;
	assert_int_equal(rx(4, &drops), -EPROTO);
	vhost_user_dev_reset(&dev);
}

static void test_tx_mergeable(void **state)
{
	uint8_t data[100];
	struct frame f, *fp = &f;
	uint64_t drops = 0;
	bool notify;

	(void)state;
	setup_dev(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_NET_F_MRG_RXBUF);
	for (unsigned int i = 0; i < sizeof(data); i++)
		data[i] = (uint8_t)(i + 1);
	frame_init(&f, fbuf[0], FRAME_BUF_SIZE);
	memcpy(f.data, data, sizeof(data));
	f.len = sizeof(data);
	/* nothing available: dropped */
	assert_int_equal(vhost_user_net_tx(&dev, &fp, 1, &drops, &notify), 0);
	assert_int_equal(drops, 1);
	/* two buffers of 64: header and 52 bytes, then 48 */
	put_desc(0, 0, 0x4000, 64, VIRTQ_DESC_F_WRITE, 0);
	put_desc(0, 1, 0x5000, 64, VIRTQ_DESC_F_WRITE, 0);
	avail(0, 0);
	avail(0, 1);
	assert_int_equal(vhost_user_net_tx(&dev, &fp, 1, &drops, &notify), 1);
	assert_int_equal(used(0)->idx, 2);
	assert_int_equal(used(0)->ring[0].len, 64);
	assert_int_equal(used(0)->ring[1].len, 48);
	assert_int_equal(mem[0x4000 + 10], 2); /* num_buffers */
	assert_memory_equal(mem + 0x4000 + 12, data, 52);
	assert_memory_equal(mem + 0x5000, data + 52, 48);
	assert_true(notify);
	/* one buffer too small for it without more: put back, not used */
	put_desc(0, 2, 0x4000, 64, VIRTQ_DESC_F_WRITE, 0);
	avail(0, 2);
	assert_int_equal(vhost_user_net_tx(&dev, &fp, 1, &drops, &notify), 0);
	assert_int_equal(drops, 2);
	assert_int_equal(used(0)->idx, 2);
	put_desc(0, 3, 0x5000, 64, VIRTQ_DESC_F_WRITE, 0);
	avail(0, 3);
	assert_int_equal(vhost_user_net_tx(&dev, &fp, 1, &drops, &notify), 1);
	assert_int_equal(used(0)->idx, 4);
	vhost_user_dev_reset(&dev);
}

/*
 * A front-end that reconnects with a base of 0 while its used index is elsewhere (DPDK's
 * virtio-user in server mode after kvnetd restarted) goes on from its used index
 */
static void test_base_from_used(void **state)
{
	struct vhost_user_state base = { 1, 0 };
	struct virtq_avail *a = (struct virtq_avail *)(mem + RING_OFF(1) + 0x200);
	uint64_t fd = 1, drops = 0;
	uint8_t frame[72] = { 0 };

	(void)state;
	setup_dev(1ull << VIRTIO_F_VERSION_1);
	assert_int_equal(msg(VHOST_USER_GET_VRING_BASE, &base, 8, 0, NULL), 0);
	used(1)->idx = 100;
	a->idx = 100;
	assert_int_equal(msg(VHOST_USER_SET_VRING_BASE, &base, 8, 0, NULL), 0);
	assert_int_equal(msg(VHOST_USER_SET_VRING_KICK, &fd, 8, 1, NULL), 0);
	memcpy(mem + 0x2000, frame, sizeof(frame));
	put_desc(1, 0, 0x2000, sizeof(frame), 0, 0);
	avail(1, 0);
	assert_int_equal(rx(4, &drops), 1);
	assert_int_equal(used(1)->idx, 101);
	vhost_user_dev_reset(&dev);
}

/*
 * Polling: the guest is asked not to kick while kvnet polls, and to kick again after; a chain
 * it added before that is seen then (more), not left waiting for a kick that never comes
 */
static void test_poll_kicks(void **state)
{
	struct frame f[4], *fp[4];
	uint8_t frame[72] = { 0 };
	uint64_t drops = 0;
	bool notify, more;

	(void)state;
	setup_dev(1ull << VIRTIO_F_VERSION_1);
	for (int i = 0; i < 4; i++) {
		frame_init(&f[i], fbuf[i], FRAME_BUF_SIZE);
		fp[i] = &f[i];
	}
	memcpy(mem + 0x2000, frame, sizeof(frame));
	put_desc(1, 0, 0x2000, sizeof(frame), 0, 0);
	avail(1, 0);
	assert_int_equal(vhost_user_net_rx(&dev, fp, 4, true, &drops, &notify, &more), 1);
	assert_int_equal(used(1)->flags, VIRTQ_USED_F_NO_NOTIFY);
	assert_false(more);
	/* a chain added while kicks were off, then the poll ends: kicks on, and it is seen */
	avail(1, 0);
	assert_int_equal(vhost_user_net_rx(&dev, fp, 0, false, &drops, &notify, &more), 0);
	assert_int_equal(used(1)->flags, 0);
	assert_true(more);
	assert_int_equal(vhost_user_net_rx(&dev, fp, 4, false, &drops, &notify, &more), 1);
	assert_false(more);
	vhost_user_dev_reset(&dev);

	/* with EVENT_IDX: avail_event a ring ahead while polling, at the next chain after */
	setup_dev(1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_RING_F_EVENT_IDX);
	put_desc(1, 0, 0x2000, sizeof(frame), 0, 0);
	avail(1, 0);
	assert_int_equal(vhost_user_net_rx(&dev, fp, 4, true, &drops, &notify, &more), 1);
	assert_int_equal(used(1)->ring[RING].id & 0xffff, 1 + RING); /* avail_event */
	assert_int_equal(vhost_user_net_rx(&dev, fp, 4, false, &drops, &notify, &more), 0);
	assert_int_equal(used(1)->ring[RING].id & 0xffff, 1);
	vhost_user_dev_reset(&dev);
}

#define F(bit) (1ull << (bit))
#define OFF_ALL                                                                                    \
	(F(VIRTIO_NET_F_CSUM) | F(VIRTIO_NET_F_GUEST_CSUM) | F(VIRTIO_NET_F_HOST_TSO4) |           \
	 F(VIRTIO_NET_F_HOST_TSO6) | F(VIRTIO_NET_F_GUEST_TSO4) | F(VIRTIO_NET_F_GUEST_TSO6))

/* a virtio-net header, little-endian, num_buffers 0 */
static void put_hdr(uint8_t *h, uint8_t flags, uint8_t type, uint16_t hdr_len, uint16_t gso_size,
		    uint16_t cs, uint16_t co)
{
	const uint16_t v[5] = { 0, hdr_len, gso_size, cs, co };

	h[0] = flags;
	h[1] = type;
	for (int i = 1; i < 5; i++) {
		h[2 * i] = (uint8_t)v[i];
		h[2 * i + 1] = (uint8_t)(v[i] >> 8);
	}
	h[10] = h[11] = 0;
}

/* the guest sends header @hdr and frame @data (@len bytes) at 0x10000 in one descriptor */
static void guest_send(const uint8_t *hdr, const uint8_t *data, uint32_t len)
{
	static uint16_t i;

	memcpy(mem + 0x10000, hdr, 12);
	memcpy(mem + 0x10000 + 12, data, len);
	put_desc(1, i % RING, 0x10000, 12 + len, 0, 0);
	avail(1, (uint16_t)(i % RING));
	i++;
}

/* one frame from the guest into @f. Return: frames read */
static int rx_one(struct frame *f, uint64_t *drops)
{
	bool notify, more;

	frame_init(f, fbuf[0], FRAME_BUF_SIZE);
	return vhost_user_net_rx(&dev, &f, 1, false, drops, &notify, &more);
}

static uint8_t big[FRAME_BUF_SIZE];

/* a TCPv4 GSO frame of @plen bytes in @big with its NEEDS_CSUM seed. Return: its length */
static uint32_t build_tso(const struct gb_pkt *k, uint32_t plen)
{
	return gb_build(big, k, 0, plen);
}

/*
 * A 64 KiB TSO frame from a guest that negotiated HOST_TSO4 comes out with the metadata its
 * header gave, as a tap hands it to the kernel; sent to a guest that negotiated GUEST_TSO4
 * it goes whole, in mergeable buffers, with the same header.
 */
static void test_offload_through(void **state)
{
	struct gb_pkt k = { .seq = 1000, .ip_id = 7, .flags = GB_ACK };
	uint32_t len = build_tso(&k, 65000), got = 0;
	struct frame f, *fp = &f;
	uint8_t hdr[12], out[12];
	uint64_t drops = 0;
	bool notify;

	(void)state;
	setup_dev(F(VIRTIO_F_VERSION_1) | F(VIRTIO_NET_F_MRG_RXBUF) | OFF_ALL);
	put_hdr(hdr, VNET_F_NEEDS_CSUM, VNET_GSO_TCPV4, (uint16_t)gb_hdr(&k), 1448,
		(uint16_t)gb_l4(&k), 16);
	guest_send(hdr, big, len);
	assert_int_equal(rx_one(&f, &drops), 1);
	assert_int_equal(drops, 0);
	assert_int_equal(f.len, len);
	assert_memory_equal(f.data, big, len);
	assert_int_equal(f.vnet.flags, VNET_F_NEEDS_CSUM);
	assert_int_equal(f.vnet.gso_type, VNET_GSO_TCPV4);
	assert_int_equal(f.vnet.gso_size, 1448);
	assert_int_equal(f.vnet.hdr_len, gb_hdr(&k));
	assert_int_equal(f.vnet.csum_start, gb_l4(&k));
	assert_int_equal(f.vnet.csum_offset, 16);

	/* back into the guest's receive ring: three buffers of 24 KiB */
	for (uint16_t i = 0; i < 3; i++) {
		put_desc(0, i, 0x30000 + i * 0x6000u, 0x6000, VIRTQ_DESC_F_WRITE, 0);
		avail(0, i);
	}
	assert_int_equal(vhost_user_net_tx(&dev, &fp, 1, &drops, &notify), 1);
	assert_int_equal(drops, 0);
	assert_int_equal(used(0)->idx, 3);
	memcpy(out, mem + 0x30000, 12);
	assert_int_equal(out[10], 3); /* num_buffers */
	out[10] = 0;
	assert_memory_equal(out, hdr, 12);
	for (int i = 0; i < 3; i++)
		got += used(0)->ring[i].len;
	assert_int_equal(got, 12 + len);
	assert_memory_equal(mem + 0x30000 + 12, big, len);
	vhost_user_dev_reset(&dev);
}

/*
 * A GSO frame toward a guest that did not negotiate GUEST_TSO4 arrives segmented, each
 * segment with its checksum and no offload in its header; a NEEDS_CSUM frame toward one
 * without GUEST_CSUM arrives with its checksum filled in.
 */
static void test_offload_segmented(void **state)
{
	struct gb_pkt k = { .seq = 5000, .ip_id = 40, .flags = GB_ACK };
	uint32_t len = build_tso(&k, 3000);
	uint8_t want[2048], zero[12] = { 0 };
	struct frame f, *fp = &f;
	uint64_t drops = 0;
	bool notify;

	(void)state;
	setup_dev(F(VIRTIO_F_VERSION_1) | F(VIRTIO_NET_F_CSUM) | F(VIRTIO_NET_F_HOST_TSO4));
	frame_init(&f, fbuf[0], FRAME_BUF_SIZE);
	memcpy(f.data, big, len);
	f.len = len;
	f.vnet = (struct vnet_meta){ VNET_F_NEEDS_CSUM,	   VNET_GSO_TCPV4,
				     (uint16_t)gb_hdr(&k), 1000,
				     (uint16_t)gb_l4(&k),  16 };
	for (uint16_t i = 0; i < 4; i++) {
		put_desc(0, i, 0x30000 + i * 0x800u, 0x800, VIRTQ_DESC_F_WRITE, 0);
		avail(0, i);
	}
	assert_int_equal(vhost_user_net_tx(&dev, &fp, 1, &drops, &notify), 1);
	assert_int_equal(drops, 0);
	assert_int_equal(used(0)->idx, 3);
	for (uint32_t i = 0; i < 3; i++) {
		struct gb_pkt s = k;
		uint32_t slen;

		s.seq = k.seq + i * 1000;
		s.ip_id = (uint16_t)(k.ip_id + i);
		s.csum = true;
		slen = gb_build(want, &s, i * 1000, 1000);
		assert_int_equal(used(0)->ring[i].len, 12 + slen);
		assert_memory_equal(mem + 0x30000 + i * 0x800, zero, 10);
		assert_memory_equal(mem + 0x30000 + i * 0x800 + 12, want, slen);
	}

	/* not GSO, NEEDS_CSUM: completed into the guest's copy, the caller's left alone */
	k.csum = true;
	gb_build(want, &k, 0, 500);
	k.csum = false;
	len = build_tso(&k, 500);
	memcpy(big + 24, want + 24, 2); /* the sender's IPv4 header checksum */
	memcpy(f.data, big, len);
	f.len = len;
	f.vnet.gso_type = VNET_GSO_NONE;
	f.vnet.gso_size = 0;
	assert_int_equal(vhost_user_net_tx(&dev, &fp, 1, &drops, &notify), 1);
	assert_int_equal(used(0)->idx, 4);
	assert_memory_equal(mem + 0x31800, zero, 10);
	assert_memory_equal(mem + 0x31800 + 12, want, len);
	assert_memory_equal(f.data, big, len);
	vhost_user_dev_reset(&dev);
}

/* headers a hostile guest may write: each a dropped, counted chain; the ring goes on */
static void test_offload_hostile(void **state)
{
	struct gb_pkt k = { .flags = GB_ACK };
	uint32_t len = build_tso(&k, 100);
	uint16_t l4 = (uint16_t)gb_l4(&k), hl = (uint16_t)gb_hdr(&k);
	const struct {
		uint8_t flags, type;
		uint16_t hdr_len, gso_size, cs, co;
	} bad[] = {
		{ 0, VNET_GSO_TCPV6, hl, 1000, l4, 16 }, /* no NEEDS_CSUM */
		{ 1, VNET_GSO_TCPV6, hl, 1000, l4, 16 }, /* HOST_TSO6 not negotiated */
		{ 1, VNET_GSO_UDP, hl, 1000, l4, 6 },	 /* UFO: never */
		{ 1, VNET_GSO_UDP_L4, hl, 1000, l4, 6 }, /* USO: never */
		{ 1, 2, hl, 1000, l4, 16 },		 /* no such type */
		{ 1, VNET_GSO_TCPV4, hl, 0, l4, 16 },	 /* gso_size 0 */
		{ 1, VNET_GSO_TCPV4 | VNET_GSO_ECN, hl, 1000, l4, 16 }, /* HOST_ECN not */
		{ 0, VNET_GSO_ECN, 0, 0, 0, 0 },			/* ECN alone */
		{ 1, VNET_GSO_TCPV4, 60000, 1000, l4, 16 },		/* hdr_len past the end */
		{ 1, 0, 0, 0, l4, 0xffff },				/* csum past the end */
		{ 1, 0, 0, 0, (uint16_t)len, 0 },			/* csum_start at the end */
		{ 1, 0, 0, 0, 4, 16 },	 /* csum_start inside the Ethernet header */
		{ 0x80, 0, 0, 0, 0, 0 }, /* an unknown flag */
		{ 4, 0, 0, 0, 0, 0 },	 /* RSC_INFO: the device's, not the driver's */
	};
	struct frame f;
	uint8_t hdr[12];
	uint64_t drops = 0;

	(void)state;
	setup_dev(F(VIRTIO_F_VERSION_1) | F(VIRTIO_NET_F_CSUM) | F(VIRTIO_NET_F_HOST_TSO4));
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put_hdr(hdr, bad[i].flags, bad[i].type, bad[i].hdr_len, bad[i].gso_size, bad[i].cs,
			bad[i].co);
		guest_send(hdr, big, len);
		assert_int_equal(rx_one(&f, &drops), 0);
		assert_int_equal(drops, i + 1);
		assert_int_equal(used(1)->idx, i + 1); /* given back */
	}
	/* the same frame with a good header passes; DATA_VALID from a driver is ignored */
	put_hdr(hdr, VNET_F_NEEDS_CSUM | VNET_F_DATA_VALID, VNET_GSO_TCPV4, hl, 50, l4, 16);
	guest_send(hdr, big, len);
	assert_int_equal(rx_one(&f, &drops), 1);
	assert_int_equal(f.vnet.flags, VNET_F_NEEDS_CSUM);
	vhost_user_dev_reset(&dev);

	/* NEEDS_CSUM from a guest that did not negotiate CSUM */
	setup_dev(F(VIRTIO_F_VERSION_1));
	drops = 0;
	put_hdr(hdr, VNET_F_NEEDS_CSUM, 0, 0, 0, l4, 16);
	guest_send(hdr, big, len);
	assert_int_equal(rx_one(&f, &drops), 0);
	assert_int_equal(drops, 1);
	put_hdr(hdr, 0, 0, 0, 0, 0, 0);
	guest_send(hdr, big, len);
	assert_int_equal(rx_one(&f, &drops), 1);
	assert_int_equal(f.vnet.flags, 0);
	vhost_user_dev_reset(&dev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translation),	cmocka_unit_test(test_messages),
		cmocka_unit_test(test_rx_chains),	cmocka_unit_test(test_tx_mergeable),
		cmocka_unit_test(test_base_from_used),	cmocka_unit_test(test_poll_kicks),
		cmocka_unit_test(test_offload_through), cmocka_unit_test(test_offload_segmented),
		cmocka_unit_test(test_offload_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
