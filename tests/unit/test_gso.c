/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_gso.c - unit tests of software segmentation and checksum completion (core/gso.c)
 *
 * Every segment is compared byte for byte with a frame built independently
 * by gso_build.h, whose checksums come from a textbook one's complement sum.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/gso.h"
#include "gso_build.h"
#include "helpers.h"

#define MAX_SEGS 64

static uint8_t want[FRAME_BUF_SIZE];

struct segs {
	struct tpool pool;
	struct frame *in;
	struct frame *out[MAX_SEGS];
};

static int segs_setup(void **state)
{
	struct segs *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	s->in = tpool_frame(&s->pool);
	for (unsigned i = 0; i < MAX_SEGS; i++)
		s->out[i] = tpool_frame(&s->pool);
	*state = s;
	return 0;
}

static int segs_teardown(void **state)
{
	struct segs *s = *state;

	tpool_free(&s->pool);
	free(s);
	return 0;
}

/* @f becomes the GSO frame of @k with @plen payload bytes, as a tap hands it over */
static void make_gso(struct frame *f, const struct gb_pkt *k, uint32_t plen, uint16_t mss,
		     uint8_t type)
{
	tf_reset(f);
	f->len = gb_build(f->data, k, 0, plen);
	f->vnet.flags = VNET_F_NEEDS_CSUM;
	f->vnet.gso_type = type;
	f->vnet.gso_size = mss;
	f->vnet.hdr_len = (uint16_t)gb_hdr(k);
	f->vnet.csum_start = (uint16_t)gb_l4(k);
	f->vnet.csum_offset = k->udp ? 6 : 16;
}

/* the segment @i of @k's payload of @plen cut by @mss, built from scratch into @out */
static uint32_t expect_seg(uint8_t *out, const struct gb_pkt *k, uint32_t plen, uint16_t mss,
			   uint32_t i, uint32_t nseg)
{
	struct gb_pkt e = *k;
	uint32_t from = i * mss, n = plen - from < mss ? plen - from : mss;

	e.csum = true;
	e.seq = k->seq + i * mss;
	e.ip_id = (uint16_t)(k->ip_id + i);
	if (i + 1 < nseg)
		e.flags &= (uint8_t) ~(GB_FIN | GB_PSH);
	if (i)
		e.flags &= (uint8_t)~GB_CWR;
	return gb_build(out, &e, from, n);
}

static void check_segments(struct segs *s, const struct gb_pkt *k, uint32_t plen, uint16_t mss,
			   uint8_t type, uint32_t want_nseg)
{
	int n;

	make_gso(s->in, k, plen, mss, type);
	n = gso_segment(s->in, s->out, MAX_SEGS);
	assert_int_equal(n, want_nseg);
	for (uint32_t i = 0; i < (uint32_t)n; i++) {
		uint32_t len = expect_seg(want, k, plen, mss, i, (uint32_t)n);

		assert_int_equal(s->out[i]->len, len);
		assert_true(len <= gb_hdr(k) + mss);
		assert_memory_equal(s->out[i]->data, want, len);
		assert_int_equal(s->out[i]->vnet.flags, 0);
		assert_int_equal(s->out[i]->vnet.gso_type, 0);
	}
}

static void test_tcpv4_vlan(void **state)
{
	struct gb_pkt k = { .vlan = true,
			    .tci = 100,
			    .ip_id = 0xfffe,
			    .seq = 0xfffff000,
			    .flags = GB_ACK | GB_PSH | GB_FIN | GB_CWR };

	/* 4000 = 1448 + 1448 + 1104; the IP id and the sequence number both wrap */
	check_segments(*state, &k, 4000, 1448, VNET_GSO_TCPV4, 3);
}

static void test_tcpv4_ecn_untagged(void **state)
{
	struct gb_pkt k = { .ip_id = 7, .seq = 1000, .flags = GB_ACK | GB_CWR };

	check_segments(*state, &k, 2896, 1448, VNET_GSO_TCPV4 | VNET_GSO_ECN, 2);
}

static void test_tcpv6(void **state)
{
	struct gb_pkt k = { .v6 = true, .seq = 123456789, .flags = GB_ACK | GB_PSH };

	check_segments(*state, &k, 3000, 1000, VNET_GSO_TCPV6, 3);
	k.vlan = true;
	k.tci = 0x2005;
	check_segments(*state, &k, 65000, 1428, VNET_GSO_TCPV6, 46);
}

static void test_udp_l4(void **state)
{
	struct gb_pkt k = { .udp = true, .ip_id = 0x4242 };

	check_segments(*state, &k, 2500, 1200, VNET_GSO_UDP_L4, 3);
	k.v6 = true;
	k.vlan = true;
	k.tci = 5;
	check_segments(*state, &k, 2500, 1200, VNET_GSO_UDP_L4, 3);
}

/* a UDP checksum that comes out 0 is sent as 0xffff (0 would mean "none") */
static void test_udp_zero_csum(void **state)
{
	struct segs *s = *state;
	struct gb_pkt k = { .udp = true, .ip_id = 3 };
	uint32_t hdr = gb_hdr(&k), l4 = gb_l4(&k), len;
	uint32_t w, c0;

	make_gso(s->in, &k, 100, 1200, VNET_GSO_UDP_L4);
	len = expect_seg(want, &k, 100, 1200, 0, 1);
	/* change the first payload word so that the sum becomes all ones */
	c0 = eth_get_be16(want + l4 + 6);
	w = eth_get_be16(want + hdr) + c0;
	w = (w & 0xffff) + (w >> 16);
	eth_put_be16(want + hdr, (uint16_t)w);
	eth_put_be16(s->in->data + hdr, (uint16_t)w);
	eth_put_be16(want + l4 + 6, 0xffff);
	assert_int_equal(gb_fold(gb_sum(gb_sum(17 + len - l4, want + gb_l3(&k) + 12, 8), want + l4,
					len - l4)),
			 0xffff);
	assert_int_equal(gso_segment(s->in, s->out, MAX_SEGS), 1);
	assert_int_equal(s->out[0]->len, len);
	assert_memory_equal(s->out[0]->data, want, len);
}

static void test_one_segment(void **state)
{
	struct gb_pkt k = { .ip_id = 1, .seq = 9, .flags = GB_ACK | GB_PSH | GB_FIN };

	/* payload not over gso_size, or none at all: one segment, checksums done */
	check_segments(*state, &k, 1000, 1448, VNET_GSO_TCPV4, 1);
	check_segments(*state, &k, 1448, 1448, VNET_GSO_TCPV4, 1);
	check_segments(*state, &k, 0, 1448, VNET_GSO_TCPV4, 1);
}

/* a few at a time through one scratch frame gives the same segments as all at once */
static void test_chunked(void **state)
{
	struct segs *s = *state;
	struct gb_pkt k = { .vlan = true, .tci = 42, .ip_id = 3, .seq = 77, .flags = GB_ACK };
	struct gso_ctx ctx;
	uint32_t i = 0;
	int n;

	make_gso(s->in, &k, 10000, 536, VNET_GSO_TCPV4);
	assert_int_equal(gso_begin(&ctx, s->in), 0);
	assert_int_equal(ctx.nseg, 19);
	assert_int_equal(gso_seg_len(&ctx, 0), gb_hdr(&k) + 536);
	assert_int_equal(gso_seg_len(&ctx, 18), gb_hdr(&k) + 10000 - 18 * 536);
	assert_int_equal(gso_seg_len(&ctx, 19), 0);
	while ((n = gso_next(&ctx, &s->out[0], 1)) > 0) {
		uint32_t len = expect_seg(want, &k, 10000, 536, i, 19);

		assert_int_equal(n, 1);
		assert_int_equal(s->out[0]->len, len);
		assert_memory_equal(s->out[0]->data, want, len);
		i++;
	}
	assert_int_equal(n, 0);
	assert_int_equal(i, 19);

	/* gso_size 1 on a 64 KiB frame: 65000 segments, made one by one */
	make_gso(s->in, &k, 65000, 1, VNET_GSO_TCPV4);
	assert_int_equal(gso_begin(&ctx, s->in), 0);
	assert_int_equal(ctx.nseg, 65000);
	assert_int_equal(gso_segment(s->in, s->out, MAX_SEGS), -ENOSPC);
	for (i = 0; (n = gso_next(&ctx, s->out, MAX_SEGS)) > 0; i += (uint32_t)n) {
		for (int j = 0; j < n; j++)
			assert_int_equal(s->out[j]->len, gb_hdr(&k) + 1);
	}
	assert_int_equal(i, 65000);
	expect_seg(want, &k, 65000, 1, 64999, 65000);
	assert_memory_equal(s->out[(64999 % MAX_SEGS)]->data, want, gb_hdr(&k) + 1);
}

static void test_out_too_small(void **state)
{
	struct segs *s = *state;
	struct gb_pkt k = { .ip_id = 1, .seq = 1, .flags = GB_ACK };
	uint8_t small[200];
	struct frame f;
	struct frame *o = &f;

	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	assert_int_equal(gso_segment(s->in, s->out, 2), -ENOSPC);
	frame_init(&f, small, sizeof(small));
	assert_int_equal(gso_segment(s->in, &o, 1), -ENOSPC);
	/* data placed anywhere in the buffer: room is counted from it */
	f.data = small;
	assert_int_equal(gso_segment(s->in, &o, 1), -ENOSPC);
}

/* each malformed case: the error, and the output untouched */
static void expect_refused(struct segs *s, int err)
{
	s->out[0]->len = 0xdead;
	assert_int_equal(gso_segment(s->in, s->out, MAX_SEGS), err);
	assert_int_equal(s->out[0]->len, 0xdead);
}

static void test_malformed(void **state)
{
	struct segs *s = *state;
	struct gb_pkt k = { .vlan = true, .tci = 9, .ip_id = 1, .seq = 1, .flags = GB_ACK };
	struct gb_pkt k6 = { .v6 = true, .seq = 1, .flags = GB_ACK };
	uint32_t l3 = gb_l3(&k), l4 = gb_l4(&k);

	make_gso(s->in, &k, 4000, 0, VNET_GSO_TCPV4); /* gso_size 0 */
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_NONE);
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, 2); /* no such type */
	expect_refused(s, -EPROTONOSUPPORT);
	make_gso(s->in, &k, 4000, 1448, 0x7f);
	expect_refused(s, -EPROTONOSUPPORT);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_UDP); /* UFO: not handled */
	expect_refused(s, -EPROTONOSUPPORT);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV6); /* an IPv4 frame */
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k6, 4000, 1448, VNET_GSO_TCPV4); /* an IPv6 frame */
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_UDP_L4); /* a TCP frame */
	expect_refused(s, -EINVAL);

	/* headers beyond the frame, at every length short of the whole TCP header */
	for (uint32_t len = 0; len < gb_hdr(&k); len++) {
		make_gso(s->in, &k, 0, 1448, VNET_GSO_TCPV4);
		s->in->len = len;
		expect_refused(s, -EINVAL);
	}
	make_gso(s->in, &k6, 100, 1448, VNET_GSO_TCPV6);
	s->in->len = gb_l4(&k6) - 1;
	expect_refused(s, -EINVAL);

	/* csum_start / csum_offset not where the checksum is */
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->vnet.csum_start++;
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->vnet.csum_offset = 0xffff;
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->vnet.csum_start = 0xffff;
	expect_refused(s, -EINVAL);

	/* TCP data offset under 5, or past the frame */
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->data[l4 + 12] = 4 << 4;
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 0, 1448, VNET_GSO_TCPV4);
	s->in->data[l4 + 12] = 15 << 4;
	expect_refused(s, -EINVAL);

	/* IPv4: version, header length, fragments, protocol */
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->data[l3] = 0x65;
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->data[l3] = 0x44;
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 10, 1448, VNET_GSO_TCPV4);
	s->in->data[l3] = 0x4f; /* 60-byte header past the end */
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->data[l3 + 6] = 0x20; /* MF */
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->data[l3 + 7] = 1; /* fragment offset */
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->data[l3 + 9] = 17;
	expect_refused(s, -EINVAL);

	/* IPv6: a fragment header, a routing header, options past the end, too many */
	make_gso(s->in, &k6, 4000, 1448, VNET_GSO_TCPV6);
	s->in->data[ETH_HLEN + 6] = 44;
	expect_refused(s, -EPROTONOSUPPORT);
	make_gso(s->in, &k6, 4000, 1448, VNET_GSO_TCPV6);
	s->in->data[ETH_HLEN + 6] = 43;
	expect_refused(s, -EPROTONOSUPPORT);
	make_gso(s->in, &k6, 0, 1448, VNET_GSO_TCPV6);
	s->in->vnet.flags = 0;
	s->in->data[ETH_HLEN + 6] = 60;
	s->in->data[ETH_HLEN + 40] = 6;
	s->in->data[ETH_HLEN + 41] = 255;
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k6, 4000, 1448, VNET_GSO_TCPV6);
	s->in->vnet.flags = 0;
	s->in->data[ETH_HLEN + 6] = 0;
	for (uint32_t i = 0; i < 20; i++) {
		s->in->data[ETH_HLEN + 40 + 8 * i] = 60;
		s->in->data[ETH_HLEN + 41 + 8 * i] = 0;
	}
	expect_refused(s, -EINVAL);

	/* not IP, a second tag with no IP after it, a tag cut short, too long */
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	eth_put_be16(s->in->data + 16, 0x0806);
	expect_refused(s, -EPROTONOSUPPORT);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	eth_put_be16(s->in->data + 16, 0x8100);
	expect_refused(s, -EPROTONOSUPPORT);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->len = 16;
	expect_refused(s, -EINVAL);
	make_gso(s->in, &k, 4000, 1448, VNET_GSO_TCPV4);
	s->in->len = FRAME_MAX_LEN + 1;
	expect_refused(s, -EINVAL);
}

/* QinQ and an IPv6 destination-options header are stepped over */
static void test_qinq_and_options(void **state)
{
	static const uint8_t opts[8] = { 6, 0, 1, 4, 0, 0, 0, 0 }; /* TCP next, PadN */
	struct segs *s = *state;
	struct gb_pkt k = { .vlan = true, .tci = 10, .ip_id = 100, .seq = 5, .flags = GB_ACK };
	struct gb_pkt k6 = { .v6 = true, .seq = 5, .flags = GB_ACK | GB_FIN };
	uint32_t plen = 3000, l4 = gb_l4(&k6);
	int n;

	/* a second tag: the expected segments get the same bytes spliced in */
	make_gso(s->in, &k, plen, 1000, VNET_GSO_TCPV4);
	memmove(s->in->data + 16, s->in->data + 12, s->in->len - 12);
	eth_put_be16(s->in->data + 12, 0x88a8);
	eth_put_be16(s->in->data + 14, 20);
	s->in->len += 4;
	s->in->vnet.csum_start += 4;
	n = gso_segment(s->in, s->out, MAX_SEGS);
	assert_int_equal(n, 3);
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t len = expect_seg(want + 4, &k, plen, 1000, i, 3);

		memmove(want, want + 4, 12);
		eth_put_be16(want + 12, 0x88a8);
		eth_put_be16(want + 14, 20);
		assert_int_equal(s->out[i]->len, len + 4);
		assert_memory_equal(s->out[i]->data, want, len + 4);
	}

	/* destination options between IPv6 and TCP: the L4 checksum does not change */
	make_gso(s->in, &k6, plen, 1000, VNET_GSO_TCPV6);
	memmove(s->in->data + l4 + 8, s->in->data + l4, s->in->len - l4);
	memcpy(s->in->data + l4, opts, 8);
	s->in->data[ETH_HLEN + 6] = 60;
	s->in->len += 8;
	s->in->vnet.csum_start += 8;
	n = gso_segment(s->in, s->out, MAX_SEGS);
	assert_int_equal(n, 3);
	for (uint32_t i = 0; i < 3; i++) {
		uint32_t len = expect_seg(want, &k6, plen, 1000, i, 3);

		memmove(want + l4 + 8, want + l4, len - l4);
		memcpy(want + l4, opts, 8);
		want[ETH_HLEN + 6] = 60;
		eth_put_be16(want + ETH_HLEN + 4,
			     (uint16_t)(eth_get_be16(want + ETH_HLEN + 4) + 8));
		assert_int_equal(s->out[i]->len, len + 8);
		assert_memory_equal(s->out[i]->data, want, len + 8);
	}
}

static void test_csum_complete(void **state)
{
	struct segs *s = *state;
	struct frame *f = s->in;
	struct gb_pkt k = {
		.vlan = true, .tci = 3, .ip_id = 9, .seq = 1, .flags = GB_ACK, .csum = true
	};
	uint32_t len;
	uint8_t c[2];

	/* TCP, UDP over IPv4 and IPv6: the seed in, the full checksum out */
	for (int v = 0; v < 4; v++) {
		k.v6 = v & 1;
		k.udp = v & 2;
		k.csum = true;
		len = gb_build(want, &k, 0, 777);
		k.csum = false;
		tf_reset(f);
		f->len = gb_build(f->data, &k, 0, 777);
		if (!k.v6) /* the IP header checksum is not ours to fill */
			memcpy(f->data + gb_l3(&k) + 10, want + gb_l3(&k) + 10, 2);
		f->vnet.flags = VNET_F_NEEDS_CSUM;
		f->vnet.csum_start = (uint16_t)gb_l4(&k);
		f->vnet.csum_offset = k.udp ? 6 : 16;
		assert_int_equal(csum_compute(f, c), 0);
		assert_memory_equal(c, want + gb_l4(&k) + (k.udp ? 6 : 16), 2);
		assert_int_equal(csum_complete(f), 0);
		assert_int_equal(f->len, len);
		assert_memory_equal(f->data, want, len);
		assert_int_equal(f->vnet.flags & VNET_F_NEEDS_CSUM, 0);
		/* done: a second call leaves it */
		assert_int_equal(csum_complete(f), 0);
		assert_memory_equal(f->data, want, len);
	}

	/* offsets out of range */
	f->vnet.flags = VNET_F_NEEDS_CSUM;
	f->vnet.csum_start = (uint16_t)(f->len - 1);
	f->vnet.csum_offset = 0;
	assert_int_equal(csum_complete(f), -EINVAL);
	assert_int_equal(csum_compute(f, c), -EINVAL);
	f->vnet.csum_start = 10;
	f->vnet.csum_offset = 0xffff;
	assert_int_equal(csum_complete(f), -EINVAL);
	f->vnet.csum_start = 0xffff;
	f->vnet.csum_offset = 0xffff;
	assert_int_equal(csum_complete(f), -EINVAL);
	f->vnet.csum_start = (uint16_t)(f->len - 2);
	f->vnet.csum_offset = 0;
	assert_int_equal(csum_complete(f), 0); /* the last two bytes: in range */
	/* GSO frames are segmented, not completed; csum_compute() needs the flag */
	f->vnet.flags = VNET_F_NEEDS_CSUM;
	f->vnet.gso_type = VNET_GSO_TCPV4;
	f->vnet.csum_start = 10;
	assert_int_equal(csum_complete(f), -EINVAL);
	f->vnet.flags = 0;
	assert_int_equal(csum_compute(f, c), -EINVAL);

	/* a sum of 0 is sent as 0xffff: all-zero data with a zero seed */
	tf_reset(f);
	memset(f->data, 0, 64);
	f->len = 64;
	f->vnet.flags = VNET_F_NEEDS_CSUM;
	f->vnet.csum_start = 34;
	f->vnet.csum_offset = 6;
	eth_put_be16(f->data + 40, 0xffff);
	assert_int_equal(csum_complete(f), 0);
	assert_int_equal(eth_get_be16(f->data + 40), 0xffff);
}

static void test_csum_add_odd(void **state)
{
	uint8_t b[9] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };

	(void)state;
	for (uint32_t n = 0; n <= sizeof(b); n++)
		assert_int_equal(csum_fold(csum_add(0, b, n)), (uint16_t)~gb_fold(gb_sum(0, b, n)));
}

/* the 8-bytes-a-step sum against the textbook one: every length and alignment, and split */
static void test_csum_add_bulk(void **state)
{
	static uint8_t buf[4096 + 8];
	uint32_t x = 12345;

	(void)state;
	for (size_t i = 0; i < sizeof(buf); i++) {
		x = x * 1103515245u + 12345u;
		buf[i] = (uint8_t)(x >> 16);
	}
	memset(buf + 100, 0xff, 200); /* runs of all ones: carries out of every word */
	for (uint32_t off = 0; off < 8; off++) {
		for (uint32_t len = 0; len < 600; len++) {
			const uint8_t *p = buf + off;
			uint16_t sum = (uint16_t)~gb_fold(gb_sum(0, p, len));

			assert_int_equal(csum_fold(csum_add(0, p, len)), sum);
			/* in two pieces, the first even */
			assert_int_equal(csum_fold(csum_add(csum_add(0, p, len / 4 * 2),
							    p + len / 4 * 2, len - len / 4 * 2)),
					 sum);
		}
		assert_int_equal(csum_fold(csum_add(0, buf + off, 4096)),
				 (uint16_t)~gb_fold(gb_sum(0, buf + off, 4096)));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_tcpv4_vlan, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_tcpv4_ecn_untagged, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_tcpv6, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_udp_l4, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_udp_zero_csum, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_one_segment, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_chunked, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_out_too_small, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_malformed, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_qinq_and_options, segs_setup, segs_teardown),
		cmocka_unit_test_setup_teardown(test_csum_complete, segs_setup, segs_teardown),
		cmocka_unit_test(test_csum_add_odd),
		cmocka_unit_test(test_csum_add_bulk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
