/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_vhost.c - the vhost-user device's pure parts: translation, messages, chains, frames
 *
 * The guest's memory is an array here; the test plays the driver: it writes descriptors and
 * available entries, and reads what the device put in the used rings and buffers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "port/vhost_user_dev.h"

#define MEM_SIZE 65536
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
	return vhost_user_net_rx(&dev, fp, n, drops, &notify, &more);
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
	v = 1ull << 0;
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_translation),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_rx_chains),
		cmocka_unit_test(test_tx_mergeable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
