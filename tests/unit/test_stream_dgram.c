/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_stream_dgram.c - the stream and dgram port back-ends over socketpair()s (no privilege)
 *
 * The test holds the peer's end of each socket pair and speaks QEMU's
 * framing on it by hand: a 32-bit big-endian length before each frame on
 * a stream, one frame per datagram on a dgram socket.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "core/gso.h"
#include "gso_build.h"
#include "helpers.h"
#include "port/port.h"

#define BURST 64
#define PEER_TIMEOUT_S 5

static uint8_t wire[2 * FRAME_BUF_SIZE];

struct pair {
	struct tpool pool;
	struct port *port;
	int peer;
	struct frame *rx[BURST];
	struct frame *tx[BURST];
};

static void set_timeout(int fd)
{
	struct timeval tv = { .tv_sec = PEER_TIMEOUT_S };

	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)), 0);
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)), 0);
}

static struct pair *pair_new(int type)
{
	struct pair *pr = calloc(1, sizeof(*pr));
	char err[256];
	int sv[2], ret;

	assert_non_null(pr);
	assert_int_equal(socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv), 0);
	ret = type == SOCK_STREAM ? stream_port_open(sv[0], "vm1eth0", &pr->port, err, sizeof(err))
				  : dgram_port_open(sv[0], "vm1eth0", &pr->port, err, sizeof(err));
	if (ret)
		fail_msg("open: %s", err);
	assert_string_equal(pr->port->ifname, "vm1eth0");
	assert_int_equal(pr->port->offloads, 0);
	pr->peer = sv[1];
	set_timeout(pr->peer);
	for (unsigned i = 0; i < BURST; i++) {
		pr->rx[i] = tpool_frame(&pr->pool);
		pr->tx[i] = tpool_frame(&pr->pool);
	}
	return pr;
}

static int stream_setup(void **state)
{
	*state = pair_new(SOCK_STREAM);
	return 0;
}

static int dgram_setup(void **state)
{
	*state = pair_new(SOCK_DGRAM);
	return 0;
}

static int pair_teardown(void **state)
{
	struct pair *pr = *state;

	pr->port->ops->destroy(pr->port);
	if (pr->peer >= 0)
		close(pr->peer);
	tpool_free(&pr->pool);
	free(pr);
	return 0;
}

/* frame @f: @len bytes of a pattern seeded with @seed, no offload */
static struct frame *mkframe(struct frame *f, uint32_t len, uint8_t seed)
{
	static const uint8_t dst[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 1 };
	static const uint8_t src[ETH_ALEN] = { 0x52, 0x54, 0, 0, 0, 2 };

	return tf_eth(f, dst, src, 0x0800, len - ETH_HLEN, seed);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void peer_write(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len) {
		ssize_t r = write(fd, p, len);

		assert_true(r > 0);
		p += r;
		len -= (size_t)r;
	}
}

static void peer_read_exact(int fd, uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t r = read(fd, buf, len);

		if (r <= 0)
			fail_msg("peer read: %s", r ? strerror(errno) : "end of file");
		buf += r;
		len -= (size_t)r;
	}
}

/* one length-prefixed frame from the stream, into wire; Return: its length */
static uint32_t peer_read_frame(int fd)
{
	uint32_t len;

	peer_read_exact(fd, wire, 4);
	len = (uint32_t)wire[0] << 24 | (uint32_t)wire[1] << 16 | (uint32_t)wire[2] << 8 | wire[3];
	assert_true(len > 0 && len <= 65535);
	peer_read_exact(fd, wire, len);
	return len;
}

static void peer_send_frame(int fd, const struct frame *f)
{
	uint8_t h[4];

	put_be32(h, f->len);
	peer_write(fd, h, 4);
	peer_write(fd, f->data, f->len);
}

/* rx until @want frames came or nothing more does; Return: frames read */
static int rx_wait(struct pair *pr, unsigned want)
{
	int got = 0;

	for (int tries = 0; tries < 100 && (unsigned)got < want; tries++) {
		int r;

		for (unsigned i = (unsigned)got; i < BURST; i++)
			tf_reset(pr->rx[i]);
		r = pr->port->ops->rx_burst(pr->port, pr->rx + got, want - (unsigned)got);
		if (r < 0)
			return got ? got : r;
		if (!r)
			poll(&(struct pollfd){ .fd = pr->port->fd, .events = POLLIN }, 1, 50);
		got += r;
	}
	return got;
}

static void assert_same(const struct frame *a, const struct frame *b)
{
	assert_int_equal(a->len, b->len);
	assert_memory_equal(a->data, b->data, a->len);
}

/* ---- stream ---- */

static void test_stream_roundtrip(void **state)
{
	struct pair *pr = *state;
	static const uint32_t lens[] = { 60, 1514, 9018, 65535, 14 };
	const unsigned n = sizeof(lens) / sizeof(lens[0]);

	for (unsigned i = 0; i < n; i++)
		peer_send_frame(pr->peer, mkframe(pr->tx[i], lens[i], (uint8_t)i));
	assert_int_equal(rx_wait(pr, n), n);
	for (unsigned i = 0; i < n; i++) {
		assert_same(pr->rx[i], pr->tx[i]);
		assert_int_equal(pr->rx[i]->vnet.flags, 0);
	}

	assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, n), n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(peer_read_frame(pr->peer), lens[i]);
		assert_memory_equal(wire, pr->tx[i]->data, lens[i]);
	}
	assert_int_equal(pr->port->ops->tx_flush(pr->port), 0);
	assert_int_equal(pr->port->tx_errors, 0);
	assert_int_equal(pr->port->rx_errors, 0);
}

/* every byte written on its own: a frame comes out only once it is whole */
static void test_stream_byte_by_byte(void **state)
{
	struct pair *pr = *state;
	uint32_t lens[3] = { 64, 1514, 300 }, total = 0, at = 0;
	unsigned seen = 0;
	uint8_t *buf = malloc(3 * (4 + 1514));

	assert_non_null(buf);
	for (unsigned i = 0; i < 3; i++) {
		mkframe(pr->tx[i], lens[i], (uint8_t)(0x40 + i));
		put_be32(buf + total, lens[i]);
		memcpy(buf + total + 4, pr->tx[i]->data, lens[i]);
		total += 4 + lens[i];
	}
	for (uint32_t b = 0; b < total; b++) {
		int r;

		peer_write(pr->peer, buf + b, 1);
		tf_reset(pr->rx[0]);
		r = pr->port->ops->rx_burst(pr->port, pr->rx, 1);
		assert_true(r >= 0);
		if (r) {
			at += 4 + lens[seen];
			/* only the byte that completed the frame releases it */
			assert_int_equal(b + 1, at);
			assert_same(pr->rx[0], pr->tx[seen]);
			seen++;
		}
	}
	assert_int_equal(seen, 3);
	assert_int_equal(pr->port->ops->rx_burst(pr->port, pr->rx, 1), 0);
	free(buf);
}

static void expect_broken(struct pair *pr, int err)
{
	assert_int_equal(pr->port->ops->rx_burst(pr->port, pr->rx, BURST), err);
	assert_int_equal(pr->port->ops->rx_burst(pr->port, pr->rx, BURST), err);
	assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, 1), err);
	assert_int_equal(pr->port->ops->tx_flush(pr->port), err);
}

/* frames before a bad length still arrive; then the port is broken, another is not */
static void test_stream_bad_length(void **state)
{
	struct pair *pr = *state, *other = pair_new(SOCK_STREAM);
	uint8_t h[4];

	peer_send_frame(pr->peer, mkframe(pr->tx[0], 100, 1));
	put_be32(h, 65536);
	peer_write(pr->peer, h, 4);
	peer_write(pr->peer, wire, 100);
	assert_int_equal(rx_wait(pr, BURST), 1);
	assert_same(pr->rx[0], pr->tx[0]);
	expect_broken(pr, -EPROTO);
	assert_int_equal(pr->port->rx_errors, 0);

	peer_send_frame(other->peer, mkframe(other->tx[0], 200, 2));
	assert_int_equal(rx_wait(other, 1), 1);
	assert_same(other->rx[0], other->tx[0]);
	pair_teardown((void **)&other);
}

static void test_stream_zero_length(void **state)
{
	struct pair *pr = *state;
	uint8_t h[4] = { 0, 0, 0, 0 };

	peer_write(pr->peer, h, 4);
	assert_int_equal(rx_wait(pr, 1), -EPROTO);
	expect_broken(pr, -EPROTO);
}

static void test_stream_hangup_mid_frame(void **state)
{
	struct pair *pr = *state;
	uint8_t h[4];

	peer_send_frame(pr->peer, mkframe(pr->tx[0], 1000, 3));
	put_be32(h, 1000);
	peer_write(pr->peer, h, 4);
	peer_write(pr->peer, pr->tx[0]->data, 999);
	close(pr->peer);
	pr->peer = -1;
	assert_int_equal(rx_wait(pr, BURST), 1);
	assert_same(pr->rx[0], pr->tx[0]);
	expect_broken(pr, -ENOTCONN);
}

static void test_stream_hangup_between_frames(void **state)
{
	struct pair *pr = *state;

	peer_send_frame(pr->peer, mkframe(pr->tx[0], 60, 4));
	shutdown(pr->peer, SHUT_WR);
	assert_int_equal(rx_wait(pr, BURST), 1);
	expect_broken(pr, -ENOTCONN);
}

/* the peer reads nothing: bursts never block, the excess is dropped and counted */
static void test_stream_slow_peer(void **state)
{
	struct pair *pr = *state;
	uint64_t sent = 0, total = 0;
	unsigned got = 0;
	int r;

	for (unsigned i = 0; i < BURST; i++)
		mkframe(pr->tx[i], 1514, (uint8_t)i);
	alarm(20);
	for (int round = 0; round < 200; round++) {
		r = pr->port->ops->tx_burst(pr->port, pr->tx, BURST);
		assert_true(r >= 0);
		sent += (unsigned)r;
		total += BURST;
	}
	assert_true(sent < total);
	assert_int_equal(pr->port->tx_errors, total - sent);
	assert_int_equal(pr->port->ops->tx_flush(pr->port), 1);

	/* the peer reads at last: every frame accepted arrives whole, in order */
	for (; got < sent; got++) {
		assert_int_equal(peer_read_frame(pr->peer), 1514);
		/* which one: its payload starts with its seed */
		assert_true(wire[ETH_HLEN] < BURST);
		assert_memory_equal(wire, pr->tx[wire[ETH_HLEN]]->data, 1514);
		if (got % 16 == 0)
			assert_true(pr->port->ops->tx_flush(pr->port) >= 0);
	}
	assert_int_equal(pr->port->ops->tx_flush(pr->port), 0);
	alarm(0);
	assert_int_equal(recv(pr->peer, wire, 1, MSG_DONTWAIT), -1);
	assert_int_equal(errno, EAGAIN);
}

/* the segments @in makes, by core/gso.c (checked byte for byte in test_gso) */
static unsigned expected_segments(struct pair *pr, const struct frame *in)
{
	int n = gso_segment(in, pr->rx, BURST);

	assert_true(n > 0);
	return (unsigned)n;
}

/* a GSO frame and a NEEDS_CSUM frame for a peer without offloads */
static void make_offloaded(struct pair *pr)
{
	struct gb_pkt k = {
		.vlan = true, .tci = 100, .ip_id = 7, .seq = 1, .flags = GB_ACK | GB_PSH
	};
	struct frame *g = pr->tx[0], *c = pr->tx[1];

	tf_reset(g);
	g->len = gb_build(g->data, &k, 0, 4000);
	g->vnet = (struct vnet_meta){ .flags = VNET_F_NEEDS_CSUM,
				      .gso_type = VNET_GSO_TCPV4,
				      .gso_size = 1448,
				      .hdr_len = (uint16_t)gb_hdr(&k),
				      .csum_start = (uint16_t)gb_l4(&k),
				      .csum_offset = 16 };
	k.udp = true;
	k.v6 = true;
	tf_reset(c);
	c->len = gb_build(c->data, &k, 0, 500);
	c->vnet = (struct vnet_meta){ .flags = VNET_F_NEEDS_CSUM,
				      .csum_start = (uint16_t)gb_l4(&k),
				      .csum_offset = 6 };
}

/* what the NEEDS_CSUM frame of make_offloaded() must become, into @out */
static uint32_t expected_csum_frame(uint8_t *out)
{
	struct gb_pkt k = {
		.vlan = true, .tci = 100, .ip_id = 7, .seq = 1, .udp = true, .v6 = true, .csum = true
	};

	return gb_build(out, &k, 0, 500);
}

static void test_stream_offloads(void **state)
{
	struct pair *pr = *state;
	static uint8_t want[2048], before[2048];
	unsigned nseg;
	uint32_t len;

	make_offloaded(pr);
	nseg = expected_segments(pr, pr->tx[0]);
	assert_int_equal(nseg, 3);
	memcpy(before, pr->tx[1]->data, pr->tx[1]->len);
	assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, 2), 2);
	for (unsigned i = 0; i < nseg; i++) {
		assert_int_equal(peer_read_frame(pr->peer), pr->rx[i]->len);
		assert_memory_equal(wire, pr->rx[i]->data, pr->rx[i]->len);
	}
	len = expected_csum_frame(want);
	assert_int_equal(peer_read_frame(pr->peer), len);
	assert_memory_equal(wire, want, len);
	/* the caller's frame, maybe shared with other ports, is as it was */
	assert_memory_equal(pr->tx[1]->data, before, len);
	assert_int_equal(pr->tx[1]->vnet.flags, VNET_F_NEEDS_CSUM);

	/* bad metadata: dropped and counted, the next frame goes */
	pr->tx[0]->vnet.gso_size = 0;
	pr->tx[1]->vnet.csum_offset = 0xfff0;
	mkframe(pr->tx[2], 60, 9);
	assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, 3), 1);
	assert_int_equal(pr->port->tx_errors, 2);
	assert_int_equal(peer_read_frame(pr->peer), 60);
	assert_memory_equal(wire, pr->tx[2]->data, 60);
}

static void test_stream_too_long(void **state)
{
	struct pair *pr = *state;

	mkframe(pr->tx[0], 65536, 1);
	mkframe(pr->tx[1], 64, 2);
	assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, 2), 1);
	assert_int_equal(pr->port->tx_errors, 1);
	assert_int_equal(peer_read_frame(pr->peer), 64);
}

/* ---- dgram ---- */

/* in chunks: unread datagrams stay charged to their sender's send buffer (about 200 KiB) */
#define DGRAM_CHUNK 8

static void test_dgram_roundtrip(void **state)
{
	struct pair *pr = *state;

	for (unsigned i = 0; i < BURST; i++)
		mkframe(pr->tx[i], 60 + i * 97, (uint8_t)i);
	for (unsigned c = 0; c < BURST; c += DGRAM_CHUNK) {
		for (unsigned i = c; i < c + DGRAM_CHUNK; i++)
			peer_write(pr->peer, pr->tx[i]->data, pr->tx[i]->len);
		assert_int_equal(rx_wait(pr, DGRAM_CHUNK), DGRAM_CHUNK);
		for (unsigned i = 0; i < DGRAM_CHUNK; i++)
			assert_same(pr->rx[i], pr->tx[c + i]);

		assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx + c, DGRAM_CHUNK),
				 DGRAM_CHUNK);
		for (unsigned i = c; i < c + DGRAM_CHUNK; i++) {
			assert_int_equal(recv(pr->peer, wire, sizeof(wire), 0), pr->tx[i]->len);
			assert_memory_equal(wire, pr->tx[i]->data, pr->tx[i]->len);
		}
	}
	assert_int_equal(pr->port->ops->tx_flush(pr->port), 0); /* nothing waits */
	assert_int_equal(pr->port->tx_errors, 0);
	assert_int_equal(pr->port->rx_errors, 0);
}

static void test_dgram_truncated(void **state)
{
	struct pair *pr = *state;
	int sz = 1 << 20;

	assert_int_equal(setsockopt(pr->peer, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz)), 0);
	memset(wire, 0x5a, 70000);
	peer_write(pr->peer, wire, 70000); /* longer than any frame buffer */
	assert_int_equal(send(pr->peer, wire, 0, 0), 0);
	mkframe(pr->tx[0], 1000, 1);
	peer_write(pr->peer, pr->tx[0]->data, 1000);
	assert_int_equal(pr->port->ops->rx_burst(pr->port, pr->rx, 3), 1);
	assert_same(pr->rx[0], pr->tx[0]);
	assert_int_equal(pr->port->rx_errors, 2);
}

static void test_dgram_offloads(void **state)
{
	struct pair *pr = *state;
	static uint8_t want[2048];
	unsigned nseg;
	uint32_t len;

	make_offloaded(pr);
	nseg = expected_segments(pr, pr->tx[0]);
	assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, 2), 2);
	for (unsigned i = 0; i < nseg; i++) {
		assert_int_equal(recv(pr->peer, wire, sizeof(wire), 0), pr->rx[i]->len);
		assert_memory_equal(wire, pr->rx[i]->data, pr->rx[i]->len);
	}
	len = expected_csum_frame(want);
	assert_int_equal(recv(pr->peer, wire, sizeof(wire), 0), len);
	assert_memory_equal(wire, want, len);
	assert_int_equal(pr->tx[1]->vnet.flags, VNET_F_NEEDS_CSUM);

	/* a 64 KiB frame with a small gso_size: more segments than a batch holds */
	{
		struct gb_pkt k = { .ip_id = 1, .seq = 1, .flags = GB_ACK };
		struct frame *g = pr->tx[0];
		struct gso_ctx ctx;
		unsigned i = 0;

		tf_reset(g);
		g->len = gb_build(g->data, &k, 0, 20000);
		g->vnet = (struct vnet_meta){ .flags = VNET_F_NEEDS_CSUM,
					      .gso_type = VNET_GSO_TCPV4,
					      .gso_size = 100,
					      .csum_start = (uint16_t)gb_l4(&k),
					      .csum_offset = 16 };
		assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, 1), 1);
		assert_int_equal(gso_begin(&ctx, g), 0);
		assert_int_equal(ctx.nseg, 200);
		while (gso_next(&ctx, pr->rx, 1) == 1) {
			assert_int_equal(recv(pr->peer, wire, sizeof(wire), 0), pr->rx[0]->len);
			assert_memory_equal(wire, pr->rx[0]->data, pr->rx[0]->len);
			i++;
		}
		assert_int_equal(i, 200);
	}
}

/* the peer reads nothing: bursts never block, what it cannot take waits in order, the excess is
 * dropped and counted; when it reads again, tx_flush sends what waited */
static void test_dgram_slow_peer(void **state)
{
	struct pair *pr = *state;
	uint64_t sent = 0, total = 0;
	unsigned got = 0;
	int flushed;

	for (unsigned i = 0; i < BURST; i++)
		mkframe(pr->tx[i], 1514, (uint8_t)i);
	alarm(20);
	for (int round = 0; round < 50; round++) {
		int r = pr->port->ops->tx_burst(pr->port, pr->tx, BURST);

		assert_true(r >= 0);
		sent += (unsigned)r;
		total += BURST;
	}
	assert_true(sent < total);
	/* what the full queue could not take is counted apart from errors, and the port busy */
	assert_int_equal(pr->port->tx_full, total - sent);
	assert_int_equal(pr->port->tx_errors, 0);
	assert_true(pr->port->tx_busy);
	assert_int_equal(pr->port->ops->tx_flush(pr->port), 1);
	assert_true(pr->port->tx_busy);
	do {
		while (recv(pr->peer, wire, sizeof(wire), MSG_DONTWAIT) == 1514) {
			assert_true(wire[ETH_HLEN] < BURST);
			assert_memory_equal(wire, pr->tx[wire[ETH_HLEN]]->data, 1514);
			got++;
		}
		flushed = pr->port->ops->tx_flush(pr->port);
		assert_true(flushed >= 0);
	} while (flushed);
	assert_false(pr->port->tx_busy);
	while (recv(pr->peer, wire, sizeof(wire), MSG_DONTWAIT) == 1514)
		got++;
	alarm(0);
	assert_int_equal(got, sent);
	assert_int_equal(pr->port->tx_full, total - sent);
	assert_int_equal(pr->port->tx_errors, 0);
}

static void test_dgram_peer_gone(void **state)
{
	struct pair *pr = *state;

	close(pr->peer);
	pr->peer = -1;
	mkframe(pr->tx[0], 60, 1);
	mkframe(pr->tx[1], 60, 2);
	assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, 2), -ENOTCONN);
	assert_int_equal(pr->port->tx_errors, 2);
	assert_int_equal(pr->port->ops->tx_burst(pr->port, pr->tx, 1), -ENOTCONN);
	assert_int_equal(pr->port->ops->rx_burst(pr->port, pr->rx, 1), -ENOTCONN);
}

/* ---- opening ---- */

static void test_open_errors(void **state)
{
	struct port *p = NULL;
	char err[256];
	int sv[2];

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	assert_int_equal(stream_port_open(sv[0], "p", &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a stream socket"));
	assert_int_equal(dgram_port_open(sv[0], "averyveryverylongname", &p, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(dgram_port_open(sv[0], "", &p, err, sizeof(err)), -EINVAL);
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(dgram_port_open(sv[0], "p", &p, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "not a datagram socket"));
	close(sv[0]);
	close(sv[1]);
	assert_int_equal(stream_port_open(-1, "p", &p, err, sizeof(err)), -EBADF);
	assert_int_equal(dgram_port_open(sv[0], "p", &p, err, sizeof(err)), -EBADF);
	/* a failed open leaves the out-pointer alone */
	assert_null(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_stream_roundtrip, stream_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_stream_byte_by_byte, stream_setup,
						pair_teardown),
		cmocka_unit_test_setup_teardown(test_stream_bad_length, stream_setup,
						pair_teardown),
		cmocka_unit_test_setup_teardown(test_stream_zero_length, stream_setup,
						pair_teardown),
		cmocka_unit_test_setup_teardown(test_stream_hangup_mid_frame, stream_setup,
						pair_teardown),
		cmocka_unit_test_setup_teardown(test_stream_hangup_between_frames, stream_setup,
						pair_teardown),
		cmocka_unit_test_setup_teardown(test_stream_slow_peer, stream_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_stream_offloads, stream_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_stream_too_long, stream_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_dgram_roundtrip, dgram_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_dgram_truncated, dgram_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_dgram_offloads, dgram_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_dgram_slow_peer, dgram_setup, pair_teardown),
		cmocka_unit_test_setup_teardown(test_dgram_peer_gone, dgram_setup, pair_teardown),
		cmocka_unit_test(test_open_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
