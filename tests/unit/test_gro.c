/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_gro.c - unit tests of TCP segment coalescing (core/gro.c)
 *
 * The segments come from core/gso.c cutting a frame built by gso_build.h;
 * merging them must give a GSO frame that gso_segment() cuts into the same
 * bytes again. Anything that does not match exactly must not join.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/gro.h"
#include "core/gso.h"
#include "gso_build.h"
#include "helpers.h"

#define MAX_SEGS 64

struct fx {
	struct tpool pool;
	struct frame *in;
	struct frame *merged;
	struct frame *seg[MAX_SEGS];
	struct frame *again[MAX_SEGS];
	int nseg;
};

static int fx_setup(void **state)
{
	struct fx *s = calloc(1, sizeof(*s));

	if (!s)
		return -1;
	s->in = tpool_frame(&s->pool);
	s->merged = tpool_frame(&s->pool);
	for (unsigned i = 0; i < MAX_SEGS; i++) {
		s->seg[i] = tpool_frame(&s->pool);
		s->again[i] = tpool_frame(&s->pool);
	}
	*state = s;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *s = *state;

	tpool_free(&s->pool);
	free(s);
	return 0;
}

/* @s->seg[] become the segments of @k's GSO frame of @plen payload bytes cut by @mss */
static void cut(struct fx *s, const struct gb_pkt *k, uint32_t plen, uint16_t mss)
{
	struct frame *f = s->in;

	tf_reset(f);
	f->len = gb_build(f->data, k, 0, plen);
	f->vnet = (struct vnet_meta){
		.flags = VNET_F_NEEDS_CSUM,
		.gso_type = k->v6 ? VNET_GSO_TCPV6 : VNET_GSO_TCPV4,
		.gso_size = mss,
		.hdr_len = (uint16_t)gb_hdr(k),
		.csum_start = (uint16_t)gb_l4(k),
		.csum_offset = 16,
	};
	s->nseg = gso_segment(f, s->seg, MAX_SEGS);
	assert_true(s->nseg > 0);
}

/* start a run with a copy of segment @i in @s->merged. Return: gro_begin()'s */
static int begin(struct fx *s, struct gro *g, int i)
{
	tf_reset(s->merged);
	memcpy(s->merged->data, s->seg[i]->data, s->seg[i]->len);
	s->merged->len = s->seg[i]->len;
	return gro_begin(g, s->merged);
}

static bool append(struct gro *g, const struct frame *seg)
{
	return gro_append(g, seg->data, seg->len);
}

/* every segment merged, then cut again: the same bytes */
static void roundtrip(struct fx *s, const struct gb_pkt *k, uint32_t plen, uint16_t mss)
{
	struct gro g;
	int n;

	cut(s, k, plen, mss);
	assert_int_equal(begin(s, &g, 0), 0);
	for (int i = 1; i < s->nseg; i++)
		assert_true(append(&g, s->seg[i]));
	assert_int_equal(gro_end(&g), s->nseg);
	if (s->nseg > 1) {
		assert_int_equal(s->merged->vnet.gso_type, k->v6 ? VNET_GSO_TCPV6 : VNET_GSO_TCPV4);
		assert_int_equal(s->merged->vnet.gso_size, mss);
		assert_int_equal(s->merged->vnet.flags, VNET_F_NEEDS_CSUM);
		/* the payload whole, and the seed a tap's TSO frame would carry */
		assert_int_equal(s->merged->len, s->in->len);
		assert_memory_equal(s->merged->data + gb_hdr(k), s->in->data + gb_hdr(k), plen);
		assert_memory_equal(s->merged->data + gb_l4(k) + 16, s->in->data + gb_l4(k) + 16,
				    2);
	}
	n = gso_segment(s->merged, s->again, MAX_SEGS);
	assert_int_equal(n, s->nseg);
	for (int i = 0; i < n; i++) {
		assert_int_equal(s->again[i]->len, s->seg[i]->len);
		assert_memory_equal(s->again[i]->data, s->seg[i]->data, s->seg[i]->len);
	}
}

static void test_roundtrip_v4(void **state)
{
	struct gb_pkt k = { .ip_id = 0xfffe, .seq = 0xfffff000, .flags = GB_ACK | GB_PSH };

	/* the IP id and the sequence number wrap; the last segment short, with PSH */
	roundtrip(*state, &k, 4000, 1448);
	k.flags = GB_ACK;
	roundtrip(*state, &k, 1448 * 44, 1448);
	k.vlan = true;
	k.tci = 100;
	roundtrip(*state, &k, 3000, 1398);
}

static void test_roundtrip_v6(void **state)
{
	struct gb_pkt k = { .v6 = true, .seq = 123456789, .flags = GB_ACK | GB_PSH };

	roundtrip(*state, &k, 65000, 1428);
	k.vlan = true;
	k.tci = 5;
	roundtrip(*state, &k, 3000, 1000);
}

/* one segment alone: left exactly as it came, no metadata */
static void test_single(void **state)
{
	struct fx *s = *state;
	struct gb_pkt k = { .seq = 1, .flags = GB_ACK };
	struct gro g;

	cut(s, &k, 500, 1448);
	assert_int_equal(begin(s, &g, 0), 0);
	assert_int_equal(gro_end(&g), 1);
	assert_int_equal(s->merged->vnet.gso_type, 0);
	assert_int_equal(s->merged->vnet.flags, 0);
	assert_memory_equal(s->merged->data, s->seg[0]->data, s->seg[0]->len);
}

/* what must not join: a bad checksum, a gap, another flow, other flags, after a short one */
static void test_refused(void **state)
{
	struct fx *s = *state;
	struct gb_pkt k = { .seq = 1000, .ip_id = 9, .flags = GB_ACK | GB_FIN };
	struct gro g;

	cut(s, &k, 1448 * 4, 1448);
	assert_int_equal(s->nseg, 4);
	assert_int_equal(begin(s, &g, 0), 0);
	/* a gap: segment 2 after 0 */
	assert_false(append(&g, s->seg[2]));
	/* a payload byte changed: the TCP checksum no longer matches */
	s->seg[1]->data[s->seg[1]->len - 1] ^= 1;
	assert_false(append(&g, s->seg[1]));
	s->seg[1]->data[s->seg[1]->len - 1] ^= 1;
	/* another source port (checksum made right again: the header differs) */
	s->seg[1]->data[gb_l4(&k)] ^= 1;
	s->seg[1]->data[gb_l4(&k) + 16] ^= 1;
	assert_false(append(&g, s->seg[1]));
	s->seg[1]->data[gb_l4(&k)] ^= 1;
	s->seg[1]->data[gb_l4(&k) + 16] ^= 1;
	assert_true(append(&g, s->seg[1]));
	assert_true(append(&g, s->seg[2]));
	/* the last has FIN: not merged, the run is what came before it */
	assert_false(append(&g, s->seg[3]));
	assert_int_equal(gro_end(&g), 3);

	/* a short segment closes the run */
	k.flags = GB_ACK;
	cut(s, &k, 1448 + 1000, 1448);
	assert_int_equal(begin(s, &g, 1), 0);
	assert_false(append(&g, s->seg[0]));
	assert_int_equal(gro_end(&g), 1);

	/* a head with PSH, or with offload metadata, or UDP, starts nothing */
	k.flags = GB_ACK | GB_PSH;
	cut(s, &k, 100, 1448);
	assert_int_equal(begin(s, &g, 0), -1);
	assert_false(gro_append(&g, s->seg[0]->data, s->seg[0]->len));
	k.flags = GB_ACK;
	cut(s, &k, 100, 1448);
	tf_reset(s->merged);
	memcpy(s->merged->data, s->seg[0]->data, s->seg[0]->len);
	s->merged->len = s->seg[0]->len;
	s->merged->vnet.flags = VNET_F_DATA_VALID;
	assert_int_equal(gro_begin(&g, s->merged), -1);
	k.udp = true;
	tf_reset(s->merged);
	s->merged->len = gb_build(s->merged->data, &(struct gb_pkt){ .udp = true, .csum = true }, 0,
				  100);
	assert_int_equal(gro_begin(&g, s->merged), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_roundtrip_v4, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_roundtrip_v6, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_single, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_refused, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
