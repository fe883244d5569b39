/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_bridge.c - unit tests of bridge_input() against docs/forwarding.md, rule by rule */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "helpers.h"

#define SEC 1000000000ull
#define T0 (1000 * SEC)
#define MAXP 8	 /* max_ports of the test bridges */
#define NPORTS 6 /* ports 0..5 are added by the fixture */
#define PLEN 46	 /* payload of a minimum-size frame */
#define SEED 0x5a
#define TYPE 0x0800

static const uint8_t mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t mac_c[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0c };
static const uint8_t mac_d[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0d };
static const uint8_t mac_e[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0e };
static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
static const uint8_t zero[ETH_ALEN] = { 0 };
static const uint8_t stp[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };

static uint8_t want[FRAME_BUF_SIZE];

struct fx {
	struct bridge *br;
	struct bridge_out *out;
	struct tpool pool;
	uint64_t now;
};

static int setup_with(void **state, bool filtering, uint32_t max_learned, uint16_t default_pvid)
{
	struct bridge_config c;
	struct fx *x = calloc(1, sizeof(*x));
	int i;

	if (!x)
		return -1;
	bridge_config_default(&c);
	c.vlan_filtering = filtering;
	c.max_ports = MAXP;
	c.default_pvid = default_pvid;
	if (max_learned)
		c.fdb_max_learned = max_learned;
	/* the fixture runs STP, so BPDUs go to the control list; rule6_stp_off_* turn it off */
	c.stp = true;
	x->br = bridge_new(&c);
	if (!x->br)
		return -1;
	for (i = 0; i < NPORTS; i++) {
		if (bridge_port_add(x->br) != i)
			return -1;
	}
	x->out = bridge_out_new(x->br);
	if (!x->out)
		return -1;
	x->out->n_spare = 0;
	x->now = T0;
	*state = x;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, true, 0, 1);
}

static int setup_nofilter(void **state)
{
	return setup_with(state, false, 0, 1);
}

static int setup_limit2(void **state)
{
	return setup_with(state, true, 2, 1);
}

static int setup_no_default_pvid(void **state)
{
	return setup_with(state, true, 0, 0);
}

static int teardown(void **state)
{
	struct fx *x = *state;

	if (!x)
		return 0;
	bridge_out_free(x->out);
	bridge_free(x->br);
	tpool_free(&x->pool);
	free(x);
	return 0;
}

/* ---- frames ---- */

static struct frame *eth(struct fx *x, const uint8_t *dst, const uint8_t *src)
{
	return tf_eth(tpool_frame(&x->pool), dst, src, TYPE, PLEN, SEED);
}

/* an untagged frame of @len bytes; under 14, the first @len bytes of a header-only frame */
static struct frame *eth_len(struct fx *x, const uint8_t *dst, const uint8_t *src, uint32_t len)
{
	struct frame *f;

	if (len >= ETH_HLEN)
		return tf_eth(tpool_frame(&x->pool), dst, src, TYPE, len - ETH_HLEN, SEED);
	f = tf_eth(tpool_frame(&x->pool), dst, src, TYPE, 0, SEED);
	f->len = len;
	return f;
}

static struct frame *tagged(struct fx *x, const uint8_t *dst, const uint8_t *src, uint16_t tci)
{
	return tf_tag(tpool_frame(&x->pool), dst, src, ETH_P_8021Q, tci, TYPE, PLEN, SEED);
}

static struct frame *tagged_len(struct fx *x, const uint8_t *dst, const uint8_t *src, uint16_t tpid,
				uint16_t tci, uint32_t len)
{
	return tf_tag(tpool_frame(&x->pool), dst, src, tpid, tci, TYPE, len - ETH_HLEN - VLAN_HLEN,
		      SEED);
}

static void expect_untagged(const struct frame *f, const uint8_t *dst, const uint8_t *src,
			    uint32_t len)
{
	uint32_t n = tb_eth(want, dst, src, TYPE, len - ETH_HLEN, SEED);

	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);
}

static void expect_tagged(const struct frame *f, const uint8_t *dst, const uint8_t *src,
			  uint16_t tci, uint32_t len)
{
	uint32_t n = tb_tag(want, dst, src, ETH_P_8021Q, tci, TYPE, len - ETH_HLEN - VLAN_HLEN,
			    SEED);

	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);
}

/* ---- running ---- */

static void in(struct fx *x, uint16_t port, struct frame *f)
{
	bridge_input(x->br, port, &f, 1, x->now, x->out);
}

static void in_burst(struct fx *x, uint16_t port, struct frame **f, unsigned int n)
{
	bridge_input(x->br, port, f, n, x->now, x->out);
}

static void give_spares(struct fx *x, unsigned int n)
{
	unsigned int i;

	x->out->n_spare = (uint16_t)n;
	for (i = 0; i < n; i++)
		x->out->spare[i] = tpool_frame(&x->pool);
}

/* ---- checks ---- */

/* @f, and nothing else, went out on exactly @ports, in that first-use order */
static void expect_out(struct fx *x, const struct frame *f, const uint16_t *ports, unsigned int n)
{
	const struct bridge_out *o = x->out;
	unsigned int i, p;

	assert_int_equal(o->n_control, 0);
	assert_int_equal(o->n_clones, 0);
	assert_int_equal(o->n_active, n);
	for (i = 0; i < n; i++) {
		assert_int_equal(o->active[i], ports[i]);
		assert_int_equal(o->tx[ports[i]].n, 1);
		assert_ptr_equal(o->tx[ports[i]].frames[0], f);
	}
	for (p = 0; p < MAXP; p++) {
		bool listed = false;

		for (i = 0; i < n; i++)
			listed |= ports[i] == p;
		if (!listed && o->tx[p].n)
			fail_msg("port %u has %u frames, expected none", p, o->tx[p].n);
	}
	assert_int_equal(f->refs, n);
}

/* clang-format off */
#define PORTS(...) (const uint16_t[]){ __VA_ARGS__ }
/* clang-format on */
#define NPORTS_OF(...) ((unsigned int)(sizeof(PORTS(__VA_ARGS__)) / sizeof(uint16_t)))
#define EXPECT_OUT(x, f, ...) expect_out((x), (f), PORTS(__VA_ARGS__), NPORTS_OF(__VA_ARGS__))

/* nothing went out, nothing to the control plane, no copy */
static void expect_nothing(struct fx *x)
{
	unsigned int p;

	assert_int_equal(x->out->n_active, 0);
	assert_int_equal(x->out->n_control, 0);
	assert_int_equal(x->out->n_clones, 0);
	for (p = 0; p < MAXP; p++)
		assert_int_equal(x->out->tx[p].n, 0);
}

static const struct bridge_port_stats *pst(struct fx *x, uint16_t port)
{
	return bridge_port_stats(x->br, port);
}

/* @port counted @n drops of cause @d, whose name is @name */
static void expect_drop(struct fx *x, uint16_t port, enum bridge_drop d, const char *name,
			uint64_t n)
{
	assert_non_null(bridge_drop_name(d));
	assert_string_equal(bridge_drop_name(d), name);
	if (pst(x, port)->drops[d] != n)
		fail_msg("port %u: %s drops %llu, expected %llu", port, name,
			 (unsigned long long)pst(x, port)->drops[d], (unsigned long long)n);
}

static void expect_no_drops(struct fx *x, uint16_t port)
{
	unsigned int d;

	for (d = 0; d < BR_DROP__MAX; d++) {
		if (pst(x, port)->drops[d])
			fail_msg("port %u: %llu unexpected %s drops", port,
				 (unsigned long long)pst(x, port)->drops[d],
				 bridge_drop_name((enum bridge_drop)d));
	}
}

/* @port counted @n drops of cause @d and no other drop; no other port counted any */
static void expect_only_drop(struct fx *x, uint16_t port, enum bridge_drop d, const char *name,
			     uint64_t n)
{
	unsigned int c;
	uint16_t p;

	expect_drop(x, port, d, name, n);
	for (c = 0; c < BR_DROP__MAX; c++) {
		if (c != d && pst(x, port)->drops[c])
			fail_msg("port %u: %llu unexpected %s drops", port,
				 (unsigned long long)pst(x, port)->drops[c],
				 bridge_drop_name((enum bridge_drop)c));
	}
	for (p = 0; p < MAXP; p++) {
		if (p != port && bridge_port_exists(x->br, p))
			expect_no_drops(x, p);
	}
}

static uint16_t lookup(struct fx *x, const uint8_t *mac, uint16_t vid)
{
	return fdb_lookup(bridge_fdb_const(x->br), mac, vid, x->now);
}

static void get_fdb_stats(struct fx *x, struct fdb_stats *st)
{
	fdb_get_stats(bridge_fdb_const(x->br), st);
}

/* learn @mac on @port in the port's PVID by a broadcast from it */
static void teach(struct fx *x, const uint8_t *mac, uint16_t port)
{
	in(x, port, eth(x, bcast, mac));
}

/* ---- VLAN set-up ---- */

static void vlan_clear(struct fx *x, uint16_t port)
{
	const struct vlan_port *v = bridge_port_vlan(x->br, port);
	unsigned int vid;

	for (vid = VLAN_VID_MIN; vid <= VLAN_VID_MAX; vid++) {
		if (vlan_is_member(v, (uint16_t)vid))
			assert_int_equal(bridge_vlan_del(x->br, port, (uint16_t)vid), 0);
	}
	assert_int_equal(v->n_members, 0);
	assert_int_equal(v->pvid, VLAN_NO_PVID);
}

static void set_access(struct fx *x, uint16_t port, uint16_t vid)
{
	vlan_clear(x, port);
	assert_int_equal(bridge_vlan_add(x->br, port, vid, true, true), 0);
}

/* tagged member of @vid1 and (if not 0) @vid2, no PVID */
static void set_trunk(struct fx *x, uint16_t port, uint16_t vid1, uint16_t vid2)
{
	vlan_clear(x, port);
	assert_int_equal(bridge_vlan_add(x->br, port, vid1, false, false), 0);
	if (vid2)
		assert_int_equal(bridge_vlan_add(x->br, port, vid2, false, false), 0);
}

static void assert_vlan_equal(const struct vlan_port *a, const struct vlan_port *b)
{
	assert_memory_equal(a->member, b->member, sizeof(a->member));
	assert_memory_equal(a->untagged, b->untagged, sizeof(a->untagged));
	assert_int_equal(a->pvid, b->pvid);
	assert_int_equal(a->n_members, b->n_members);
}

/* ======== rule 1: frames ======== */

static void rule1_runt_is_dropped_and_counted(void **state)
{
	struct fx *x = *state;
	struct frame *f[3];

	f[0] = eth_len(x, bcast, mac_a, ETH_HLEN);
	f[0]->len = 0;
	f[1] = eth_len(x, bcast, mac_a, ETH_HLEN);
	f[1]->len = 1;
	f[2] = eth_len(x, bcast, mac_a, ETH_HLEN);
	f[2]->len = 13;
	in_burst(x, 0, f, 3);
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_RUNT, "runt", 3);
	assert_int_equal(pst(x, 0)->rx_frames, 3);
	assert_int_equal(pst(x, 0)->rx_bytes, 14);

	/* exactly 14 bytes is a frame */
	f[0] = eth_len(x, bcast, mac_a, ETH_HLEN);
	in(x, 0, f[0]);
	EXPECT_OUT(x, f[0], 1, 2, 3, 4, 5);
	expect_untagged(f[0], bcast, mac_a, ETH_HLEN);
	expect_only_drop(x, 0, BR_DROP_RUNT, "runt", 3);
}

/* an 802.1Q frame shorter than its tagged header on a filtering bridge */
static void rule1_tagged_runt_is_dropped_on_filtering_bridge(void **state)
{
	struct fx *x = *state;
	struct frame *f[4];
	unsigned int i;

	for (i = 0; i < 4; i++) {
		f[i] = tagged_len(x, bcast, mac_a, ETH_P_8021Q, 1, 18);
		f[i]->len = ETH_HLEN + i;
	}
	in_burst(x, 0, f, 4);
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_RUNT, "runt", 4);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);

	/* 18 bytes is enough: out untagged as 14 */
	f[0] = tagged_len(x, bcast, mac_a, ETH_P_8021Q, 1, 18);
	in(x, 0, f[0]);
	EXPECT_OUT(x, f[0], 1, 2, 3, 4, 5);
	expect_untagged(f[0], bcast, mac_a, ETH_HLEN);
}

static void rule1_oversize_untagged_over_mtu_plus_14(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	f = eth_len(x, bcast, mac_a, 1514);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	expect_untagged(f, bcast, mac_a, 1514);

	f = eth_len(x, bcast, mac_b, 1515);
	in(x, 0, f);
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
	assert_int_equal(lookup(x, mac_b, 1), FDB_PORT_NONE);
	assert_int_equal(pst(x, 0)->rx_bytes, 1514 + 1515);
}

static void rule1_oversize_tagged_allows_mtu_plus_18(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	f = tagged_len(x, bcast, mac_a, ETH_P_8021Q, 1, 1518);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	expect_untagged(f, bcast, mac_a, 1514);

	f = tagged_len(x, bcast, mac_a, ETH_P_8021Q, 1, 1519);
	in(x, 0, f);
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
}

/* the 802.1ad header counts 18 too, and oversize comes before the qinq check */
static void rule1_oversize_8021ad_uses_18_and_comes_first(void **state)
{
	struct fx *x = *state;

	in(x, 0, tagged_len(x, bcast, mac_a, ETH_P_8021AD, 1, 1519));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
	in(x, 0, tagged_len(x, bcast, mac_a, ETH_P_8021AD, 1, 1518));
	expect_nothing(x);
	expect_drop(x, 0, BR_DROP_QINQ, "qinq", 1);
	expect_drop(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
}

static void rule1_oversize_follows_ingress_port_mtu(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	uint16_t p;

	for (p = 0; p < NPORTS; p++)
		assert_int_equal(bridge_port_set_mtu(x->br, p, 9000), 0);
	f = eth_len(x, bcast, mac_a, 9014);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	in(x, 0, eth_len(x, bcast, mac_a, 9015));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_OVERSIZE, "oversize", 1);

	assert_int_equal(bridge_port_set_mtu(x->br, 1, BRIDGE_MTU_MIN), 0);
	f = eth_len(x, bcast, mac_b, BRIDGE_MTU_MIN + 14);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0, 2, 3, 4, 5);
	in(x, 1, eth_len(x, bcast, mac_b, BRIDGE_MTU_MIN + 15));
	expect_nothing(x);
	expect_drop(x, 1, BR_DROP_OVERSIZE, "oversize", 1);
}

static void rule1_qinq_dropped_on_filtering_bridge(void **state)
{
	struct fx *x = *state;
	struct frame *f[2];

	f[0] = tf_qinq(tpool_frame(&x->pool), bcast, mac_a, ETH_P_8021AD, 1, 1, TYPE, PLEN, SEED);
	f[1] = tagged_len(x, mac_b, mac_c, ETH_P_8021AD, 1, 64);
	in_burst(x, 0, f, 2);
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_QINQ, "qinq", 2);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_c, 1), FDB_PORT_NONE);
}

/* access -> trunk: the tag is pushed into headroom, the payload does not move */
static void rule1_push_in_place_keeps_payload_address(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	uint8_t *data0, *payload0;

	set_access(x, 1, 10);
	set_trunk(x, 2, 10, 0);
	f = eth(x, bcast, mac_a);
	data0 = f->data;
	payload0 = f->data + 2 * ETH_ALEN;
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	assert_ptr_equal(f->data, data0 - VLAN_HLEN);
	assert_ptr_equal(f->data + 2 * ETH_ALEN + VLAN_HLEN, payload0);
	expect_tagged(f, bcast, mac_a, 10, 64);
}

/* trunk -> access: the tag is popped, the payload does not move */
static void rule1_pop_in_place_keeps_payload_address(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	uint8_t *data0, *payload0;

	set_access(x, 1, 10);
	set_trunk(x, 2, 10, 0);
	f = tagged(x, bcast, mac_a, 10);
	data0 = f->data;
	payload0 = f->data + 2 * ETH_ALEN + VLAN_HLEN;
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	assert_ptr_equal(f->data, data0 + VLAN_HLEN);
	assert_ptr_equal(f->data + 2 * ETH_ALEN, payload0);
	expect_untagged(f, bcast, mac_a, 60);
}

/* ======== rule 2: per-port VLAN membership ======== */

static void rule2_untagged_ingress_takes_pvid(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 1, 10);
	set_access(x, 2, 10);
	set_access(x, 3, 20);
	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_untagged(f, bcast, mac_a, 60);
	assert_int_equal(lookup(x, mac_a, 10), 1);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_a, 20), FDB_PORT_NONE);
	expect_no_drops(x, 1);
}

static void rule2_no_pvid_drops_untagged_and_priority_tagged(void **state)
{
	struct fx *x = *state;
	struct frame *f[2];

	set_trunk(x, 1, 10, 20);
	f[0] = eth(x, bcast, mac_a);
	f[1] = tagged(x, bcast, mac_b, ttci(3, 0, 0));
	in_burst(x, 1, f, 2);
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_NO_PVID, "no-pvid", 2);
	assert_int_equal(lookup(x, mac_a, 10), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_b, 10), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_b, 0), FDB_PORT_NONE);
}

static void rule2_priority_tagged_takes_pvid_keeps_pcp_dei(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	uint8_t *data0;

	set_access(x, 1, 10);
	set_trunk(x, 2, 10, 0);
	f = tagged(x, bcast, mac_a, ttci(5, 1, 0));
	data0 = f->data;
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	assert_ptr_equal(f->data, data0);
	expect_tagged(f, bcast, mac_a, ttci(5, 1, 10), 64);
	assert_int_equal(lookup(x, mac_a, 10), 1);
}

static void rule2_priority_tagged_to_untagged_port_is_popped(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 1, 10);
	set_access(x, 2, 10);
	f = tagged(x, bcast, mac_a, ttci(6, 0, 0));
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_untagged(f, bcast, mac_a, 60);
}

/* a PVID that egresses tagged: untagged ingress on another port gets a PCP 0 tag pushed */
static void rule2_pvid_with_tagged_egress_gets_tag_pushed(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	vlan_clear(x, 1);
	assert_int_equal(bridge_vlan_add(x->br, 1, 10, true, false), 0);
	set_access(x, 2, 10);
	f = eth(x, bcast, mac_a);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	expect_tagged(f, bcast, mac_a, ttci(0, 0, 10), 64);

	/* and its own untagged ingress takes the PVID */
	f = eth(x, bcast, mac_b);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_untagged(f, bcast, mac_b, 60);
	assert_int_equal(lookup(x, mac_b, 10), 1);
}

/* membership decides ingress, not the egress flag: tagged frames of an access VID pass */
static void rule2_tagged_member_vid_accepted_on_access_port(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 1, 10);
	set_trunk(x, 3, 10, 0);
	f = tagged(x, bcast, mac_a, ttci(2, 0, 10));
	in(x, 1, f);
	EXPECT_OUT(x, f, 3);
	expect_tagged(f, bcast, mac_a, ttci(2, 0, 10), 64);
}

static void rule2_ingress_filter_drops_non_member_vid(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_trunk(x, 1, 10, 20);
	set_trunk(x, 2, 10, 30);
	in(x, 1, tagged(x, bcast, mac_a, 30));
	expect_nothing(x);
	in(x, 1, tagged(x, bcast, mac_a, 1));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_INGRESS_FILTER, "ingress-filter", 2);
	assert_int_equal(lookup(x, mac_a, 30), FDB_PORT_NONE);

	f = tagged(x, bcast, mac_a, 10);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_tagged(f, bcast, mac_a, 10, 64);
}

static void rule2_vid_4095_is_dropped(void **state)
{
	struct fx *x = *state;

	set_trunk(x, 1, 10, 4094);
	in(x, 1, tagged(x, bcast, mac_a, ttci(1, 0, 4095)));
	expect_nothing(x);
	in(x, 0, tagged(x, bcast, mac_b, 4095));
	expect_nothing(x);
	expect_drop(x, 1, BR_DROP_RESERVED_VID, "reserved-vid", 1);
	expect_drop(x, 0, BR_DROP_RESERVED_VID, "reserved-vid", 1);
	expect_drop(x, 1, BR_DROP_INGRESS_FILTER, "ingress-filter", 0);
	assert_int_equal(lookup(x, mac_a, 4095), FDB_PORT_NONE);
}

static void rule2_egress_only_to_member_ports(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 1, 10);
	set_access(x, 2, 10);
	set_trunk(x, 3, 20, 0);
	set_access(x, 4, 20);
	/* ports 0 and 5 are in VLAN 1 */
	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	f = eth(x, mcast, mac_b);
	in(x, 0, f);
	EXPECT_OUT(x, f, 5);
	f = eth(x, mac_e, mac_c);
	in(x, 4, f);
	EXPECT_OUT(x, f, 3);
	expect_tagged(f, mac_e, mac_c, 20, 64);
}

static void rule2_tag_kept_on_tagged_egress(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	uint8_t *data0;

	set_trunk(x, 1, 10, 20);
	set_trunk(x, 2, 20, 10);
	f = tagged(x, bcast, mac_a, ttci(6, 1, 20));
	data0 = f->data;
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	assert_ptr_equal(f->data, data0);
	expect_tagged(f, bcast, mac_a, ttci(6, 1, 20), 64);
}

static void rule2_pvid_cleared_by_readd_or_delete(void **state)
{
	struct fx *x = *state;

	/* re-adding the PVID's VID without the pvid flag clears the PVID */
	assert_int_equal(bridge_vlan_add(x->br, 1, 1, false, true), 0);
	assert_int_equal(bridge_port_vlan(x->br, 1)->pvid, VLAN_NO_PVID);
	in(x, 1, eth(x, bcast, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_NO_PVID, "no-pvid", 1);

	/* deleting the PVID's VID leaves none */
	assert_int_equal(bridge_vlan_add(x->br, 2, 7, false, false), 0);
	assert_int_equal(bridge_vlan_del(x->br, 2, 1), 0);
	assert_int_equal(bridge_port_vlan(x->br, 2)->pvid, VLAN_NO_PVID);
	in(x, 2, eth(x, bcast, mac_b));
	expect_nothing(x);
	expect_drop(x, 2, BR_DROP_NO_PVID, "no-pvid", 1);
}

static void rule2_bridge_vlan_errors(void **state)
{
	struct fx *x = *state;
	struct vlan_port before = *bridge_port_vlan(x->br, 1);

	assert_int_equal(bridge_vlan_add(x->br, 1, 0, true, true), -EINVAL);
	assert_int_equal(bridge_vlan_add(x->br, 1, 4095, false, false), -EINVAL);
	assert_int_equal(bridge_vlan_del(x->br, 1, 4095), -EINVAL);
	assert_int_equal(bridge_vlan_del(x->br, 1, 99), -ENOENT);
	assert_vlan_equal(bridge_port_vlan(x->br, 1), &before);
	assert_int_equal(bridge_vlan_add(x->br, NPORTS, 10, true, true), -ENOENT);
	assert_int_equal(bridge_vlan_del(x->br, NPORTS, 1), -ENOENT);
	assert_int_equal(bridge_vlan_add(x->br, 5000, 10, true, true), -ENOENT);
}

/* a bridge whose default PVID is 0 gives new ports no VLAN at all */
static void rule2_no_default_pvid_drops_untagged(void **state)
{
	struct fx *x = *state;
	const struct vlan_port *v = bridge_port_vlan(x->br, 0);

	assert_int_equal(v->pvid, VLAN_NO_PVID);
	assert_int_equal(v->n_members, 0);
	in(x, 0, eth(x, bcast, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_NO_PVID, "no-pvid", 1);
}

/* ======== rule 3: libvirt <vlan> forms on a bridge ======== */

static const struct vlan_spec_tag tag42[] = { { 42, VLAN_NATIVE_NONE } };
static const struct vlan_spec spec_access42 = { .trunk = false, .n_tags = 1, .tags = tag42 };
static const struct vlan_spec_tag tags42_47[] = {
	{ 42, VLAN_NATIVE_NONE },
	{ 47, VLAN_NATIVE_NONE },
};
static const struct vlan_spec spec_trunk = { .trunk = true, .n_tags = 2, .tags = tags42_47 };
static const struct vlan_spec_tag tags42t_47[] = {
	{ 42, VLAN_NATIVE_TAGGED },
	{ 47, VLAN_NATIVE_NONE },
};
static const struct vlan_spec spec_native_tagged = {
	.trunk = true,
	.n_tags = 2,
	.tags = tags42t_47,
};
static const struct vlan_spec_tag tags42u_47[] = {
	{ 42, VLAN_NATIVE_UNTAGGED },
	{ 47, VLAN_NATIVE_NONE },
};
static const struct vlan_spec spec_native_untagged = {
	.trunk = true,
	.n_tags = 2,
	.tags = tags42u_47,
};

static void rule3_access_spec_membership_and_frames(void **state)
{
	struct fx *x = *state;
	const struct vlan_port *v;
	struct frame *f;

	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &spec_access42), 0);
	assert_int_equal(bridge_vlan_apply_spec(x->br, 2, &spec_trunk), 0);
	v = bridge_port_vlan(x->br, 1);
	assert_int_equal(v->pvid, 42);
	assert_int_equal(v->n_members, 1);
	assert_true(vlan_is_member(v, 42));
	assert_true(vlan_is_untagged(v, 42));
	assert_false(vlan_is_member(v, 1));
	v = bridge_port_vlan(x->br, 2);
	assert_int_equal(v->pvid, VLAN_NO_PVID);
	assert_int_equal(v->n_members, 2);
	assert_true(vlan_is_member(v, 42) && !vlan_is_untagged(v, 42));
	assert_true(vlan_is_member(v, 47) && !vlan_is_untagged(v, 47));

	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_tagged(f, bcast, mac_a, 42, 64);

	f = tagged(x, bcast, mac_b, 42);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	expect_untagged(f, bcast, mac_b, 60);

	/* VLAN 47 has no other member */
	in(x, 2, tagged(x, bcast, mac_b, 47));
	expect_nothing(x);
	expect_only_drop(x, 2, BR_DROP_NO_DEST, "no-dest", 1);

	/* the trunk takes no untagged frames */
	in(x, 2, eth(x, bcast, mac_c));
	expect_nothing(x);
	expect_drop(x, 2, BR_DROP_NO_PVID, "no-pvid", 1);
}

/* nativeMode='tagged': untagged ingress joins the native VLAN, and leaves other trunks tagged */
static void rule3_native_tagged_trunk_frames(void **state)
{
	struct fx *x = *state;
	const struct vlan_port *v;
	struct frame *f;

	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &spec_native_tagged), 0);
	assert_int_equal(bridge_vlan_apply_spec(x->br, 2, &spec_trunk), 0);
	v = bridge_port_vlan(x->br, 1);
	assert_int_equal(v->pvid, 42);
	assert_int_equal(v->n_members, 2);
	assert_true(vlan_is_member(v, 42) && !vlan_is_untagged(v, 42));
	assert_true(vlan_is_member(v, 47) && !vlan_is_untagged(v, 47));

	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_tagged(f, bcast, mac_a, 42, 64);
	assert_int_equal(lookup(x, mac_a, 42), 1);

	/* native VLAN frames egress the native-tagged trunk still tagged */
	f = tagged(x, mac_a, mac_b, ttci(4, 0, 42));
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	expect_tagged(f, mac_a, mac_b, ttci(4, 0, 42), 64);

	f = tagged(x, bcast, mac_c, 47);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_tagged(f, bcast, mac_c, 47, 64);
}

/* nativeMode='untagged': the native VLAN goes in and out untagged, the others tagged */
static void rule3_native_untagged_trunk_frames(void **state)
{
	struct fx *x = *state;
	const struct vlan_port *v;
	struct frame *f;

	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &spec_native_untagged), 0);
	assert_int_equal(bridge_vlan_apply_spec(x->br, 2, &spec_trunk), 0);
	v = bridge_port_vlan(x->br, 1);
	assert_int_equal(v->pvid, 42);
	assert_int_equal(v->n_members, 2);
	assert_true(vlan_is_member(v, 42) && vlan_is_untagged(v, 42));
	assert_true(vlan_is_member(v, 47) && !vlan_is_untagged(v, 47));

	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_tagged(f, bcast, mac_a, 42, 64);

	f = tagged(x, mac_a, mac_b, 42);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	expect_untagged(f, mac_a, mac_b, 60);

	f = tagged(x, mac_a, mac_b, 47);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	expect_tagged(f, mac_a, mac_b, 47, 64);
}

static void rule3_bridge_apply_spec_errors_leave_membership(void **state)
{
	static const struct vlan_spec_tag bad_vid[] = {
		{ 42, VLAN_NATIVE_NONE },
		{ 4095, VLAN_NATIVE_NONE },
	};
	static const struct vlan_spec_tag two_native[] = {
		{ 42, VLAN_NATIVE_TAGGED },
		{ 47, VLAN_NATIVE_UNTAGGED },
	};
	static const struct vlan_spec no_tag = { .trunk = true, .n_tags = 0, .tags = NULL };
	static const struct vlan_spec s_bad_vid = { .trunk = true, .n_tags = 2, .tags = bad_vid };
	static const struct vlan_spec s_two = { .trunk = true, .n_tags = 2, .tags = two_native };
	struct fx *x = *state;
	struct vlan_port before;
	struct frame *f;

	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &spec_native_untagged), 0);
	before = *bridge_port_vlan(x->br, 1);
	teach(x, mac_a, 1);
	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &no_tag), -EINVAL);
	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &s_bad_vid), -EINVAL);
	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &s_two), -EINVAL);
	assert_vlan_equal(bridge_port_vlan(x->br, 1), &before);
	assert_int_equal(lookup(x, mac_a, 42), 1);
	assert_int_equal(bridge_vlan_apply_spec(x->br, NPORTS, &spec_trunk), -ENOENT);
	assert_int_equal(bridge_vlan_apply_spec(x->br, 4000, &spec_trunk), -ENOENT);

	/* frames still behave as before */
	assert_int_equal(bridge_vlan_apply_spec(x->br, 2, &spec_access42), 0);
	f = eth(x, mac_a, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	expect_untagged(f, mac_a, mac_b, 60);
}

/* applying a spec replaces the membership and flushes the port's learned entries */
static void rule3_apply_spec_replaces_and_flushes_learned(void **state)
{
	struct fx *x = *state;

	teach(x, mac_a, 1);
	teach(x, mac_b, 2);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &spec_trunk), 0);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	assert_int_equal(fdb_port_learned(bridge_fdb_const(x->br), 1), 0);
	assert_int_equal(lookup(x, mac_b, 1), 2);
	assert_false(vlan_is_member(bridge_port_vlan(x->br, 1), 1));
	assert_int_equal(bridge_vlan_apply_spec(x->br, 1, &spec_access42), 0);
	assert_int_equal(bridge_port_vlan(x->br, 1)->n_members, 1);
	assert_false(vlan_is_member(bridge_port_vlan(x->br, 1), 47));
}

/* ======== rule 4: VLAN filtering off ======== */

/* the frame went out on every other port, unchanged and in place */
static void expect_flooded_as_is(struct fx *x, struct frame *f, uint16_t in_port)
{
	uint8_t before[256];
	uint8_t *data0 = f->data;
	uint32_t len0 = f->len;

	assert_true(len0 <= sizeof(before));
	memcpy(before, f->data, len0);
	in(x, in_port, f);
	switch (in_port) {
	case 0:
		EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
		break;
	case 3:
		EXPECT_OUT(x, f, 0, 1, 2, 4, 5);
		break;
	default:
		fail();
	}
	assert_ptr_equal(f->data, data0);
	assert_int_equal(f->len, len0);
	assert_memory_equal(f->data, before, len0);
	expect_no_drops(x, in_port);
}

static void rule4_no_filtering_forwards_tagged_frames_as_they_came(void **state)
{
	struct fx *x = *state;

	assert_false(bridge_vlan_filtering(x->br));
	expect_flooded_as_is(x, tagged(x, bcast, mac_a, ttci(3, 0, 100)), 0);
	expect_flooded_as_is(x, tagged(x, bcast, mac_a, ttci(1, 1, 4095)), 0);
	expect_flooded_as_is(x, tagged(x, bcast, mac_a, ttci(7, 0, 0)), 3);
	expect_flooded_as_is(x, eth(x, mcast, mac_b), 3);
}

static void rule4_no_filtering_forwards_8021ad_as_it_came(void **state)
{
	struct fx *x = *state;

	expect_flooded_as_is(x,
			     tf_qinq(tpool_frame(&x->pool), bcast, mac_a, ETH_P_8021AD,
				     ttci(0, 0, 300), ttci(2, 0, 5), TYPE, PLEN, SEED),
			     0);
	expect_flooded_as_is(x, tagged_len(x, bcast, mac_b, ETH_P_8021AD, 9, 64), 3);
}

/* without filtering, a too-short 802.1Q frame is just a frame */
static void rule4_no_filtering_forwards_short_tagged_frame(void **state)
{
	struct fx *x = *state;
	struct frame *f = tagged_len(x, bcast, mac_a, ETH_P_8021Q, 5, 18);

	f->len = 16;
	expect_flooded_as_is(x, f, 0);
}

/* membership, PVIDs and untagged flags are ignored: one shared VLAN */
static void rule4_no_filtering_ignores_membership(void **state)
{
	struct fx *x = *state;

	vlan_clear(x, 0);
	vlan_clear(x, 2);
	set_trunk(x, 3, 10, 0);
	expect_flooded_as_is(x, eth(x, bcast, mac_a), 0);
	expect_flooded_as_is(x, tagged(x, bcast, mac_b, 10), 3);
	expect_flooded_as_is(x, tagged(x, bcast, mac_b, 20), 3);
}

static void rule4_no_filtering_learns_in_vid_0(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	in(x, 0, tagged(x, bcast, mac_a, 100));
	assert_int_equal(lookup(x, mac_a, 0), 0);
	assert_int_equal(lookup(x, mac_a, 100), FDB_PORT_NONE);
	/* a frame in another VLAN finds it: one shared VLAN */
	f = tagged(x, mac_a, mac_b, 200);
	in(x, 3, f);
	EXPECT_OUT(x, f, 0);
	expect_tagged(f, mac_a, mac_b, 200, 64);
	assert_int_equal(lookup(x, mac_b, 0), 3);
	f = eth(x, mac_b, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 3);
	expect_untagged(f, mac_b, mac_a, 60);
}

/* the ingress checks before VLAN ingress still apply without filtering */
static void rule4_no_filtering_still_checks_size(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	in(x, 0, tagged_len(x, bcast, mac_a, ETH_P_8021Q, 100, 1519));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_OVERSIZE, "oversize", 1);
	f = tagged_len(x, bcast, mac_a, ETH_P_8021Q, 100, 1518);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	expect_tagged(f, bcast, mac_a, 100, 1518);
}

static void rule4_toggling_filtering_flushes_learned_entries(void **state)
{
	struct fx *x = *state;

	assert_true(bridge_vlan_filtering(x->br));
	teach(x, mac_a, 1);
	assert_int_equal(fdb_add_static(bridge_fdb(x->br), mac_b, 1, 2, false, x->now), 0);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	bridge_set_vlan_filtering(x->br, false);
	assert_false(bridge_vlan_filtering(x->br));
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_b, 1), 2);
	teach(x, mac_a, 1);
	assert_int_equal(lookup(x, mac_a, 0), 1);
	bridge_set_vlan_filtering(x->br, true);
	assert_true(bridge_vlan_filtering(x->br));
	assert_int_equal(lookup(x, mac_a, 0), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_b, 1), 2);
}

/* ======== rule 5: FDB through the bridge ======== */

static void rule5_learns_source_and_forwards_to_it(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	struct fdb_stats st;

	f = eth(x, mac_b, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0, 2, 3, 4, 5);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	f = eth(x, mac_a, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	f = eth(x, mac_b, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	get_fdb_stats(x, &st);
	assert_int_equal(st.size, 2);
	assert_int_equal(st.n_learned, 2);
	assert_int_equal(st.learned, 2);
	assert_int_equal(fdb_port_learned(bridge_fdb_const(x->br), 1), 1);
}

static void rule5_same_mac_on_two_ports_in_two_vlans(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 1, 10);
	set_access(x, 2, 20);
	set_trunk(x, 0, 10, 20);
	teach(x, mac_a, 1);
	teach(x, mac_a, 2);
	assert_int_equal(lookup(x, mac_a, 10), 1);
	assert_int_equal(lookup(x, mac_a, 20), 2);
	f = tagged(x, mac_a, mac_b, 10);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1);
	expect_untagged(f, mac_a, mac_b, 60);
	f = tagged(x, mac_a, mac_b, 20);
	in(x, 0, f);
	EXPECT_OUT(x, f, 2);
	expect_untagged(f, mac_a, mac_b, 60);
}

static void rule5_multicast_or_zero_source_is_bad_source(void **state)
{
	struct fx *x = *state;
	struct frame *f[3];
	struct fdb_stats st;

	f[0] = eth(x, mac_b, mcast);
	f[1] = eth(x, mac_b, bcast);
	f[2] = eth(x, mac_b, zero);
	in_burst(x, 1, f, 3);
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_BAD_SOURCE, "bad-source", 3);
	get_fdb_stats(x, &st);
	assert_int_equal(st.size, 0);
	assert_int_equal(st.learned, 0);
}

/* learning happens only for frames that passed every ingress check */
static void rule5_no_learning_from_frames_failing_ingress(void **state)
{
	struct fx *x = *state;
	struct frame *f[8];
	struct fdb_stats st;
	uint8_t src[8][ETH_ALEN];
	unsigned int i;

	set_trunk(x, 1, 10, 0);
	for (i = 0; i < 8; i++)
		tmac(src[i], 0x100 + i);
	f[0] = tagged(x, bcast, src[0], 20);			   /* ingress-filter */
	f[1] = eth(x, bcast, src[1]);				   /* no-pvid */
	f[2] = tagged_len(x, bcast, src[2], ETH_P_8021AD, 10, 64); /* qinq */
	f[3] = tagged(x, bcast, src[3], 4095);			   /* reserved-vid */
	f[4] = tagged_len(x, bcast, src[4], ETH_P_8021Q, 10, 18);
	f[4]->len = 17;						    /* runt */
	f[5] = tagged_len(x, bcast, src[5], ETH_P_8021Q, 10, 1519); /* oversize */
	f[6] = tagged(x, stp, src[6], 10);			    /* control */
	f[7] = tagged(x, bcast, src[7], 10);
	f[7]->vnet.gso_type = 2; /* bad-offload */
	in_burst(x, 1, f, 8);
	assert_int_equal(x->out->n_active, 0);
	assert_int_equal(x->out->n_control, 1);
	get_fdb_stats(x, &st);
	assert_int_equal(st.size, 0);
	assert_int_equal(st.learned, 0);
	expect_drop(x, 1, BR_DROP_INGRESS_FILTER, "ingress-filter", 1);
	expect_drop(x, 1, BR_DROP_NO_PVID, "no-pvid", 1);
	expect_drop(x, 1, BR_DROP_QINQ, "qinq", 1);
	expect_drop(x, 1, BR_DROP_RESERVED_VID, "reserved-vid", 1);
	expect_drop(x, 1, BR_DROP_RUNT, "runt", 1);
	expect_drop(x, 1, BR_DROP_OVERSIZE, "oversize", 1);
	expect_drop(x, 1, BR_DROP_BAD_OFFLOAD, "bad-offload", 1);
}

/* learning comes before the destination: dropped-after-learning frames are learned from */
static void rule5_learned_even_when_dropped_at_destination(void **state)
{
	struct fx *x = *state;

	set_access(x, 1, 10);
	in(x, 1, eth(x, bcast, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_NO_DEST, "no-dest", 1);
	assert_int_equal(lookup(x, mac_a, 10), 1);

	teach(x, mac_b, 2);
	in(x, 2, eth(x, mac_b, mac_c));
	expect_nothing(x);
	expect_drop(x, 2, BR_DROP_SAME_PORT, "same-port", 1);
	assert_int_equal(lookup(x, mac_c, 1), 2);
}

static void rule5_no_learning_without_learning_flag(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 1, 0, BR_PORT_LEARNING), 0);
	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0, 2, 3, 4, 5);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_LEARNING, 0), 0);
	teach(x, mac_a, 1);
	assert_int_equal(lookup(x, mac_a, 1), 1);
}

static void rule5_moving_station_relearned_on_new_port(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	struct fdb_stats st;

	teach(x, mac_a, 1);
	x->now += SEC;
	teach(x, mac_a, 4);
	assert_int_equal(lookup(x, mac_a, 1), 4);
	f = eth(x, mac_a, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 4);
	get_fdb_stats(x, &st);
	assert_int_equal(st.moved, 1);
	assert_int_equal(fdb_port_learned(bridge_fdb_const(x->br), 1), 0);
	assert_int_equal(fdb_port_learned(bridge_fdb_const(x->br), 4), 1);
}

static void rule5_static_entry_not_moved_by_frames(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(fdb_add_static(bridge_fdb(x->br), mac_a, 1, 1, false, x->now), 0);
	f = eth(x, bcast, mac_a);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 3, 4, 5);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	x->now += 1000 * SEC;
	assert_int_equal(bridge_age(x->br, x->now), 0);
	f = eth(x, mac_a, mac_b);
	in(x, 3, f);
	EXPECT_OUT(x, f, 1);
}

static void rule5_port_limit_evicts_oldest_counted(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	struct fdb_stats st;

	assert_int_equal(bridge_port_set_learn_limit(x->br, 1, 1), 0);
	teach(x, mac_a, 1);
	f = eth(x, bcast, mac_b);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0, 2, 3, 4, 5);
	assert_int_equal(fdb_port_evicted(bridge_fdb_const(x->br), 1), 1);
	assert_int_equal(lookup(x, mac_b, 1), 1);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);

	/* A is unknown now: flooded; B is known */
	f = eth(x, mac_a, mac_c);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 3, 4, 5);
	f = eth(x, mac_b, mac_c);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);

	/* a station moving to the full port takes the place of its oldest entry */
	f = eth(x, bcast, mac_c);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0, 2, 3, 4, 5);
	assert_int_equal(lookup(x, mac_c, 1), 1);
	assert_int_equal(lookup(x, mac_b, 1), FDB_PORT_NONE);
	assert_int_equal(fdb_port_evicted(bridge_fdb_const(x->br), 1), 2);
	get_fdb_stats(x, &st);
	assert_int_equal(st.evicted_port_limit, 2);
	assert_int_equal(st.evicted_bridge_limit, 0);
	assert_int_equal(st.moved, 1);
	assert_int_equal(fdb_port_evicted(bridge_fdb_const(x->br), 2), 0);
}

static void rule5_bridge_limit_evicts_from_busiest_port(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	struct fdb_stats st;

	teach(x, mac_a, 1);
	teach(x, mac_b, 2);
	f = eth(x, mac_d, mac_c);
	in(x, 3, f);
	EXPECT_OUT(x, f, 0, 1, 2, 4, 5);
	/* the newcomer is learned; one of the two ports holding one entry each gave it up */
	assert_int_equal(lookup(x, mac_c, 1), 3);
	assert_true((lookup(x, mac_a, 1) == 1) != (lookup(x, mac_b, 1) == 2));
	get_fdb_stats(x, &st);
	assert_int_equal(st.evicted_bridge_limit, 1);
	assert_int_equal(st.n_learned, 2);
	assert_int_equal(fdb_port_evicted(bridge_fdb_const(x->br), 1) +
				 fdb_port_evicted(bridge_fdb_const(x->br), 2),
			 1);

	/* a move needs no new entry */
	teach(x, mac_c, 5);
	assert_int_equal(lookup(x, mac_c, 1), 5);
	assert_int_equal(fdb_port_evicted(bridge_fdb_const(x->br), 3), 0);
}

static void rule5_expired_entry_flooded_then_relearned(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	struct fdb_stats st;

	teach(x, mac_a, 1);
	x->now = T0 + FDB_AGEING_DEFAULT_NS - 1;
	f = eth(x, mac_a, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	x->now = T0 + FDB_AGEING_DEFAULT_NS;
	f = eth(x, mac_a, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 3, 4, 5);
	x->now += SEC;
	teach(x, mac_a, 1);
	f = eth(x, mac_a, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	get_fdb_stats(x, &st);
	assert_int_equal(st.learned, 2); /* A once, B once */
	assert_int_equal(st.aged, 0);
}

static void rule5_bridge_age_removes_and_counts(void **state)
{
	struct fx *x = *state;
	struct fdb_stats st;

	assert_int_equal(fdb_ageing(bridge_fdb_const(x->br)), FDB_AGEING_DEFAULT_NS);
	assert_int_equal(fdb_add_static(bridge_fdb(x->br), mac_c, 1, 3, false, x->now), 0);
	teach(x, mac_a, 1);
	x->now += 100 * SEC;
	teach(x, mac_b, 2);
	assert_int_equal(bridge_age(x->br, T0 + 299 * SEC), 0);
	assert_int_equal(bridge_age(x->br, T0 + 300 * SEC), 1);
	get_fdb_stats(x, &st);
	assert_int_equal(st.aged, 1);
	assert_int_equal(st.size, 2);
	assert_int_equal(bridge_age(x->br, T0 + 400 * SEC), 1);
	assert_int_equal(bridge_age(x->br, T0 + 4000 * SEC), 0);
	get_fdb_stats(x, &st);
	assert_int_equal(st.aged, 2);
	assert_int_equal(st.size, 1);
	assert_int_equal(st.n_static, 1);
}

static void rule5_ageing_time_settable(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	fdb_set_ageing(bridge_fdb(x->br), 10 * SEC);
	teach(x, mac_a, 1);
	x->now += 10 * SEC;
	f = eth(x, mac_a, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 3, 4, 5);
	assert_int_equal(bridge_age(x->br, x->now), 1);
}

static void rule5_port_del_flushes_all_its_entries(void **state)
{
	struct fx *x = *state;
	struct fdb_stats st;

	teach(x, mac_a, 3);
	teach(x, mac_b, 2);
	assert_int_equal(fdb_add_static(bridge_fdb(x->br), mac_c, 1, 3, false, x->now), 0);
	assert_int_equal(bridge_port_del(x->br, 3), 0);
	assert_false(bridge_port_exists(x->br, 3));
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_c, 1), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_b, 1), 2);
	get_fdb_stats(x, &st);
	assert_int_equal(st.size, 1);
	assert_int_equal(bridge_port_del(x->br, 3), -ENOENT);
}

static void rule5_vlan_del_flushes_port_dynamic_entries_in_vid(void **state)
{
	struct fx *x = *state;

	set_trunk(x, 1, 10, 20);
	set_trunk(x, 2, 10, 20);
	in(x, 1, tagged(x, bcast, mac_a, 10));
	in(x, 1, tagged(x, bcast, mac_b, 20));
	in(x, 2, tagged(x, bcast, mac_c, 10));
	assert_int_equal(fdb_add_static(bridge_fdb(x->br), mac_d, 10, 1, false, x->now), 0);
	assert_int_equal(bridge_vlan_del(x->br, 1, 10), 0);
	assert_int_equal(lookup(x, mac_a, 10), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_b, 20), 1);
	assert_int_equal(lookup(x, mac_c, 10), 2);
	assert_int_equal(lookup(x, mac_d, 10), 1);
}

/* ======== rule 6: forwarding ======== */

static void rule6_known_unicast_to_its_port(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	teach(x, mac_b, 4);
	f = eth(x, mac_b, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 4);
	expect_untagged(f, mac_b, mac_a, 60);
	expect_no_drops(x, 0);
}

static void rule6_known_unicast_to_ingress_port_is_same_port(void **state)
{
	struct fx *x = *state;

	teach(x, mac_b, 1);
	in(x, 1, eth(x, mac_b, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_SAME_PORT, "same-port", 1);
}

static void rule6_hairpin_reflects_known_unicast(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_HAIRPIN, 0), 0);
	assert_int_equal(bridge_port_flags(x->br, 1), BR_PORT_FLAGS_DEFAULT | BR_PORT_HAIRPIN);
	teach(x, mac_b, 1);
	f = eth(x, mac_b, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 1);
	expect_untagged(f, mac_b, mac_a, 60);
	expect_no_drops(x, 1);
}

static void rule6_unknown_unicast_broadcast_multicast_flooded(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 4, 10);
	f = eth(x, mac_b, mac_a);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 3, 5);
	f = eth(x, bcast, mac_a);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 3, 5);
	f = eth(x, mcast, mac_a);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 3, 5);
	expect_untagged(f, mcast, mac_a, 60);
}

/* a hairpin ingress port gets its own flood back, as Linux does */
static void rule6_hairpin_port_gets_its_own_flood(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 2, BR_PORT_HAIRPIN, 0), 0);
	f = eth(x, bcast, mac_a);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 2, 3, 4, 5);
	f = eth(x, mac_e, mac_a);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 1, 2, 3, 4, 5);
	/* a hairpin port that is not the ingress changes nothing */
	f = eth(x, bcast, mac_b);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
}

static void rule6_flood_flag_limits_unknown_unicast_only(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 3, 0, BR_PORT_FLOOD), 0);
	f = eth(x, mac_e, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 4, 5);
	f = eth(x, bcast, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	f = eth(x, mcast, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	/* known unicast does not care */
	teach(x, mac_d, 3);
	f = eth(x, mac_d, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 3);
}

static void rule6_mcast_flood_flag_limits_multicast_only(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 3, 0, BR_PORT_MCAST_FLOOD), 0);
	f = eth(x, mcast, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 4, 5);
	f = eth(x, bcast, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	f = eth(x, mac_e, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
}

static void rule6_bcast_flood_flag_limits_broadcast_only(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 3, 0, BR_PORT_BCAST_FLOOD), 0);
	f = eth(x, bcast, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 4, 5);
	f = eth(x, mcast, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	f = eth(x, mac_e, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
}

static void rule6_no_eligible_port_is_no_dest(void **state)
{
	struct fx *x = *state;
	uint16_t p;

	for (p = 1; p < NPORTS; p++)
		assert_int_equal(bridge_port_set_flags(x->br, p, 0, BR_PORT_BCAST_FLOOD), 0);
	in(x, 0, eth(x, bcast, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_NO_DEST, "no-dest", 1);
	assert_int_equal(pst(x, 0)->rx_frames, 1);
	for (p = 1; p < NPORTS; p++)
		assert_int_equal(pst(x, p)->tx_frames, 0);
}

static void rule6_link_local_goes_to_control(void **state)
{
	struct fx *x = *state;
	struct frame *f[16];
	uint8_t dst[ETH_ALEN];
	unsigned int i;

	memcpy(dst, stp, ETH_ALEN);
	for (i = 0; i < 16; i++) {
		dst[5] = (uint8_t)i;
		f[i] = eth(x, dst, mac_a);
	}
	in_burst(x, 2, f, 16);
	assert_int_equal(x->out->n_active, 0);
	assert_int_equal(x->out->n_clones, 0);
	assert_int_equal(x->out->n_control, 16);
	for (i = 0; i < 16; i++) {
		assert_ptr_equal(x->out->control[i], f[i]);
		assert_int_equal(f[i]->port, 2);
		dst[5] = (uint8_t)i;
		expect_untagged(f[i], dst, mac_a, 60);
	}
	assert_int_equal(pst(x, 2)->rx_control, 16);
	assert_int_equal(pst(x, 2)->rx_frames, 16);
	assert_int_equal(pst(x, 2)->rx_bytes, 16 * 60);
	expect_no_drops(x, 2);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	for (i = 0; i < NPORTS; i++)
		assert_int_equal(pst(x, (uint16_t)i)->tx_frames, 0);
}

static void rule6_01_80_c2_00_00_10_is_not_link_local(void **state)
{
	struct fx *x = *state;
	static const uint8_t gvrp[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x21 };
	uint8_t dst[ETH_ALEN];
	struct frame *f;

	memcpy(dst, stp, ETH_ALEN);
	dst[5] = 0x10;
	f = eth(x, dst, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	f = eth(x, gvrp, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	assert_int_equal(pst(x, 0)->rx_control, 0);
}

static void rule6_stp_off_by_default(void **state)
{
	struct bridge_config c;

	(void)state;
	bridge_config_default(&c);
	assert_false(c.stp);
}

/* STP off, as the Linux bridge: BPDUs are flooded like any other multicast frame */
static void rule6_stp_off_bpdu_is_flooded(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	bridge_set_stp(x->br, false);
	assert_false(bridge_stp(x->br));
	f = eth(x, stp, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4, 5);
	assert_int_equal(x->out->n_control, 0);
	assert_int_equal(pst(x, 0)->rx_control, 0);
	expect_no_drops(x, 0);
	assert_int_equal(lookup(x, mac_a, 1), 0);
	bridge_set_stp(x->br, true);
	assert_true(bridge_stp(x->br));
	f = eth(x, stp, mac_b);
	in(x, 1, f);
	assert_int_equal(x->out->n_active, 0);
	assert_int_equal(x->out->n_control, 1);
	assert_ptr_equal(x->out->control[0], f);
}

/* STP off: the other reserved group addresses still go to the control list */
static void rule6_stp_off_other_link_local_goes_to_control(void **state)
{
	struct fx *x = *state;
	struct frame *f[15];
	uint8_t dst[ETH_ALEN];
	unsigned int i;

	bridge_set_stp(x->br, false);
	memcpy(dst, stp, ETH_ALEN);
	for (i = 0; i < 15; i++) {
		dst[5] = (uint8_t)(i + 1);
		f[i] = eth(x, dst, mac_a);
	}
	in_burst(x, 2, f, 15);
	assert_int_equal(x->out->n_active, 0);
	assert_int_equal(x->out->n_control, 15);
	for (i = 0; i < 15; i++)
		assert_ptr_equal(x->out->control[i], f[i]);
	assert_int_equal(pst(x, 2)->rx_control, 15);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
}

/* STP off: a BPDU goes through the later rules like any frame (port state, VLAN ingress) */
static void rule6_stp_off_bpdu_obeys_state_and_vlan(void **state)
{
	struct fx *x = *state;

	bridge_set_stp(x->br, false);
	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_BLOCKING), 0);
	in(x, 1, eth(x, stp, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_PORT_STATE, "port-state", 1);
	set_trunk(x, 3, 10, 0);
	in(x, 3, tagged(x, stp, mac_c, 99));
	expect_nothing(x);
	expect_drop(x, 3, BR_DROP_INGRESS_FILTER, "ingress-filter", 1);
	expect_drop(x, 1, BR_DROP_PORT_STATE, "port-state", 1);
	assert_int_equal(pst(x, 1)->rx_control + pst(x, 3)->rx_control, 0);
}

/* control frames are taken before port-state blocking/listening and before VLAN ingress */
static void rule6_link_local_taken_before_state_and_vlan_checks(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_BLOCKING), 0);
	assert_int_equal(bridge_port_set_state(x->br, 2, BR_STATE_LISTENING), 0);
	set_trunk(x, 3, 10, 0);
	f = eth(x, stp, mac_a);
	in(x, 1, f);
	assert_int_equal(x->out->n_control, 1);
	assert_ptr_equal(x->out->control[0], f);
	assert_int_equal(f->port, 1);
	f = eth(x, stp, mac_b);
	in(x, 2, f);
	assert_int_equal(x->out->n_control, 1);
	assert_int_equal(f->port, 2);
	f = tagged(x, stp, mac_c, 99);
	in(x, 3, f);
	assert_int_equal(x->out->n_control, 1);
	assert_ptr_equal(x->out->control[0], f);
	assert_int_equal(x->out->n_active, 0);
	expect_no_drops(x, 1);
	expect_no_drops(x, 2);
	expect_no_drops(x, 3);
	assert_int_equal(pst(x, 1)->rx_control, 1);
	assert_int_equal(pst(x, 2)->rx_control, 1);
	assert_int_equal(pst(x, 3)->rx_control, 1);

	/* but not before disabled or a bad source */
	assert_int_equal(bridge_port_set_state(x->br, 4, BR_STATE_DISABLED), 0);
	in(x, 4, eth(x, stp, mac_d));
	expect_nothing(x);
	expect_only_drop(x, 4, BR_DROP_PORT_STATE, "port-state", 1);
	in(x, 5, eth(x, stp, mcast));
	expect_nothing(x);
	expect_drop(x, 5, BR_DROP_BAD_SOURCE, "bad-source", 1);
	assert_int_equal(pst(x, 4)->rx_control, 0);
	assert_int_equal(pst(x, 5)->rx_control, 0);
}

static void rule6_isolated_ports_flood_only_to_non_isolated(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_ISOLATED, 0), 0);
	assert_int_equal(bridge_port_set_flags(x->br, 2, BR_PORT_ISOLATED, 0), 0);
	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0, 3, 4, 5);
	f = eth(x, mac_e, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0, 3, 4, 5);
	f = eth(x, bcast, mac_c);
	in(x, 3, f);
	EXPECT_OUT(x, f, 0, 1, 2, 4, 5);
}

static void rule6_isolated_known_unicast(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_ISOLATED, 0), 0);
	assert_int_equal(bridge_port_set_flags(x->br, 2, BR_PORT_ISOLATED, 0), 0);
	teach(x, mac_a, 1);
	teach(x, mac_b, 2);
	teach(x, mac_c, 3);
	in(x, 1, eth(x, mac_b, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_ISOLATED, "isolated", 1);
	f = eth(x, mac_c, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 3);
	f = eth(x, mac_a, mac_c);
	in(x, 3, f);
	EXPECT_OUT(x, f, 1);
}

/* a hairpin port that is isolated does not get its own frames back */
static void rule6_isolated_hairpin_port(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_ISOLATED | BR_PORT_HAIRPIN, 0), 0);
	teach(x, mac_a, 1);
	in(x, 1, eth(x, mac_a, mac_b));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_ISOLATED, "isolated", 1);
	f = eth(x, bcast, mac_b);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0, 2, 3, 4, 5);
}

/* disabled: dropped as port-state right after the runt check, before anything else */
static void rule6_disabled_port_drops_everything(void **state)
{
	struct fx *x = *state;
	struct frame *f[4];

	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_DISABLED), 0);
	assert_int_equal(bridge_port_state(x->br, 1), BR_STATE_DISABLED);
	f[0] = eth(x, bcast, mac_a);
	f[1] = eth(x, bcast, mac_a);
	f[1]->vnet.gso_type = 2;
	f[2] = eth_len(x, bcast, mac_a, 1515);
	f[3] = eth(x, bcast, mac_a);
	f[3]->len = 13;
	in_burst(x, 1, f, 4);
	expect_nothing(x);
	expect_drop(x, 1, BR_DROP_PORT_STATE, "port-state", 3);
	expect_drop(x, 1, BR_DROP_RUNT, "runt", 1);
	assert_int_equal(pst(x, 1)->rx_frames, 4);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);

	/* and a disabled port receives nothing */
	f[0] = eth(x, bcast, mac_b);
	in(x, 0, f[0]);
	EXPECT_OUT(x, f[0], 2, 3, 4, 5);
}

static void rule6_blocking_and_listening_drop_without_learning(void **state)
{
	struct fx *x = *state;

	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_BLOCKING), 0);
	assert_int_equal(bridge_port_set_state(x->br, 2, BR_STATE_LISTENING), 0);
	in(x, 1, eth(x, bcast, mac_a));
	expect_nothing(x);
	in(x, 2, eth(x, bcast, mac_b));
	expect_nothing(x);
	expect_drop(x, 1, BR_DROP_PORT_STATE, "port-state", 1);
	expect_drop(x, 2, BR_DROP_PORT_STATE, "port-state", 1);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_b, 1), FDB_PORT_NONE);

	/* the state checks come after bad-offload, oversize and bad-source */
	in(x, 1, eth_len(x, bcast, mac_a, 1515));
	in(x, 1, eth(x, bcast, mcast));
	expect_drop(x, 1, BR_DROP_OVERSIZE, "oversize", 1);
	expect_drop(x, 1, BR_DROP_BAD_SOURCE, "bad-source", 1);
	expect_drop(x, 1, BR_DROP_PORT_STATE, "port-state", 1);
	/* and before VLAN ingress */
	set_trunk(x, 2, 10, 0);
	in(x, 2, tagged(x, bcast, mac_b, 99));
	expect_nothing(x);
	expect_drop(x, 2, BR_DROP_PORT_STATE, "port-state", 2);
	expect_drop(x, 2, BR_DROP_INGRESS_FILTER, "ingress-filter", 0);
}

static void rule6_learning_state_learns_but_does_not_forward(void **state)
{
	struct fx *x = *state;

	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_LEARNING), 0);
	in(x, 1, eth(x, bcast, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_PORT_STATE, "port-state", 1);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	/* VLAN ingress is checked before: a filtered frame is not learned */
	set_trunk(x, 1, 10, 0);
	in(x, 1, tagged(x, bcast, mac_b, 99));
	expect_drop(x, 1, BR_DROP_INGRESS_FILTER, "ingress-filter", 1);
	assert_int_equal(lookup(x, mac_b, 99), FDB_PORT_NONE);
}

static void rule6_only_forwarding_ports_get_floods(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	assert_int_equal(bridge_port_set_state(x->br, 2, BR_STATE_DISABLED), 0);
	assert_int_equal(bridge_port_set_state(x->br, 3, BR_STATE_BLOCKING), 0);
	assert_int_equal(bridge_port_set_state(x->br, 4, BR_STATE_LISTENING), 0);
	assert_int_equal(bridge_port_set_state(x->br, 5, BR_STATE_LEARNING), 0);
	f = eth(x, bcast, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1);
	assert_int_equal(bridge_port_set_state(x->br, 3, BR_STATE_FORWARDING), 0);
	f = eth(x, mac_e, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 3);
}

static void rule6_known_unicast_to_non_forwarding_port_is_egress_state(void **state)
{
	struct fx *x = *state;

	teach(x, mac_b, 2);
	teach(x, mac_c, 3);
	assert_int_equal(bridge_port_set_state(x->br, 2, BR_STATE_BLOCKING), 0);
	assert_int_equal(bridge_port_set_state(x->br, 3, BR_STATE_LEARNING), 0);
	in(x, 0, eth(x, mac_b, mac_a));
	expect_nothing(x);
	in(x, 0, eth(x, mac_c, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_EGRESS_STATE, "egress-state", 2);
	/* a blocking port keeps its learned entries */
	assert_int_equal(lookup(x, mac_b, 1), 2);
}

static void rule6_known_unicast_to_non_member_is_egress_filter(void **state)
{
	struct fx *x = *state;

	set_trunk(x, 2, 10, 0);
	assert_int_equal(fdb_add_static(bridge_fdb(x->br), mac_b, 1, 2, false, x->now), 0);
	in(x, 0, eth(x, mac_b, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_EGRESS_FILTER, "egress-filter", 1);
}

/* same-port is decided before egress-state, egress-filter and isolated */
static void rule6_same_port_checked_first(void **state)
{
	struct fx *x = *state;

	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_ISOLATED, 0), 0);
	set_trunk(x, 1, 10, 20);
	assert_int_equal(fdb_add_static(bridge_fdb(x->br), mac_b, 10, 1, false, x->now), 0);
	in(x, 1, tagged(x, mac_b, mac_a, 10));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_SAME_PORT, "same-port", 1);
}

static void rule6_disabled_flushes_learned_entries_keeps_static(void **state)
{
	struct fx *x = *state;

	teach(x, mac_a, 1);
	teach(x, mac_b, 2);
	assert_int_equal(fdb_add_static(bridge_fdb(x->br), mac_c, 1, 1, false, x->now), 0);
	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_BLOCKING), 0);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_DISABLED), 0);
	assert_int_equal(lookup(x, mac_a, 1), FDB_PORT_NONE);
	assert_int_equal(lookup(x, mac_c, 1), 1);
	assert_int_equal(lookup(x, mac_b, 1), 2);
	assert_int_equal(fdb_port_learned(bridge_fdb_const(x->br), 1), 0);
}

/* ======== rule 7: counters ======== */

static void rule7_drop_names(void **state)
{
	static const char *const names[BR_DROP__MAX] = {
		[BR_DROP_RUNT] = "runt",
		[BR_DROP_PORT_STATE] = "port-state",
		[BR_DROP_BAD_OFFLOAD] = "bad-offload",
		[BR_DROP_OVERSIZE] = "oversize",
		[BR_DROP_BAD_SOURCE] = "bad-source",
		[BR_DROP_QINQ] = "qinq",
		[BR_DROP_NO_PVID] = "no-pvid",
		[BR_DROP_RESERVED_VID] = "reserved-vid",
		[BR_DROP_INGRESS_FILTER] = "ingress-filter",
		[BR_DROP_SAME_PORT] = "same-port",
		[BR_DROP_EGRESS_FILTER] = "egress-filter",
		[BR_DROP_EGRESS_STATE] = "egress-state",
		[BR_DROP_ISOLATED] = "isolated",
		[BR_DROP_NO_DEST] = "no-dest",
		[BR_DROP_NO_BUFFER] = "no-buffer",
		[BR_DROP_NO_HEADROOM] = "no-headroom",
		[BR_DROP_TX_OVERSIZE] = "tx-oversize",
		[BR_DROP_BPDU_GUARD] = "bpdu-guard",
		[BR_DROP_ACCESS_TAGGED] = "access-tagged",
		[BR_DROP_DHCP_SERVER] = "dhcp-server",
		[BR_DROP_ROUTER_ADV] = "router-advert",
		[BR_DROP_STORM_BCAST] = "storm-broadcast",
		[BR_DROP_STORM_UNKNOWN] = "storm-unknown-unicast",
		[BR_DROP_STORM_MCAST] = "storm-multicast",
		[BR_DROP_SHAPED_RX] = "shaped-rx",
		[BR_DROP_SHAPED_TX] = "shaped-tx",
		[BR_DROP_BAD_IGMP_MLD] = "bad-igmp-mld",
		[BR_DROP_MAC_SPOOF] = "mac-spoof",
		[BR_DROP_IP_SPOOF] = "ip-spoof",
		[BR_DROP_ARP_SPOOF] = "arp-spoof",
		[BR_DROP_ND_SPOOF] = "nd-spoof",
		[BR_DROP_L2_OTHER] = "l2-other",
	};
	unsigned int d;

	(void)state;
	for (d = 0; d < BR_DROP__MAX; d++) {
		assert_non_null(names[d]);
		assert_non_null(bridge_drop_name((enum bridge_drop)d));
		assert_string_equal(bridge_drop_name((enum bridge_drop)d), names[d]);
	}
}

static void rule7_port_state_names(void **state)
{
	(void)state;
	assert_string_equal(bridge_port_state_name(BR_STATE_DISABLED), "disabled");
	assert_string_equal(bridge_port_state_name(BR_STATE_LISTENING), "listening");
	assert_string_equal(bridge_port_state_name(BR_STATE_LEARNING), "learning");
	assert_string_equal(bridge_port_state_name(BR_STATE_FORWARDING), "forwarding");
	assert_string_equal(bridge_port_state_name(BR_STATE_BLOCKING), "blocking");
	assert_null(bridge_port_state_name((enum bridge_port_state)5));
}

static void rule7_rx_and_tx_frames_and_bytes(void **state)
{
	struct fx *x = *state;
	struct frame *f[3];

	set_access(x, 1, 10);
	set_trunk(x, 2, 10, 0);
	f[0] = eth(x, bcast, mac_a);	      /* 60 in, 64 out on 2 */
	f[1] = eth_len(x, bcast, mac_b, 100); /* 100 in, 104 out */
	f[2] = eth_len(x, bcast, mac_c, 10);  /* runt: 10 in */
	in_burst(x, 1, f, 3);
	assert_int_equal(pst(x, 1)->rx_frames, 3);
	assert_int_equal(pst(x, 1)->rx_bytes, 60 + 100 + 10);
	assert_int_equal(pst(x, 1)->tx_frames, 0);
	assert_int_equal(pst(x, 1)->tx_bytes, 0);
	assert_int_equal(pst(x, 2)->tx_frames, 2);
	assert_int_equal(pst(x, 2)->tx_bytes, 64 + 104);
	assert_int_equal(pst(x, 2)->rx_frames, 0);

	/* trunk to access: counted in the popped form */
	f[0] = tagged(x, bcast, mac_d, 10);
	in(x, 2, f[0]);
	assert_int_equal(pst(x, 2)->rx_bytes, 64);
	assert_int_equal(pst(x, 1)->tx_frames, 1);
	assert_int_equal(pst(x, 1)->tx_bytes, 60);
	/* a flood counts on every port */
	f[0] = eth(x, bcast, mac_e);
	in(x, 0, f[0]);
	assert_int_equal(pst(x, 3)->tx_frames, 1);
	assert_int_equal(pst(x, 3)->tx_bytes, 60);
	assert_int_equal(pst(x, 5)->tx_bytes, 60);
	assert_int_equal(pst(x, 0)->rx_frames, 1);
	assert_int_equal(pst(x, 0)->rx_bytes, 60);
	assert_int_equal(pst(x, 0)->tx_frames, 0);
}

static void rule7_tx_oversize_counted_on_egress_port(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	uint16_t p;

	assert_int_equal(bridge_port_set_mtu(x->br, 0, 9000), 0);
	assert_int_equal(bridge_port_set_mtu(x->br, 2, 9000), 0);
	f = eth_len(x, bcast, mac_a, 3000);
	in(x, 0, f);
	EXPECT_OUT(x, f, 2);
	expect_no_drops(x, 0);
	expect_no_drops(x, 2);
	for (p = 1; p < NPORTS; p++) {
		if (p != 2)
			expect_drop(x, p, BR_DROP_TX_OVERSIZE, "tx-oversize", 1);
	}
	assert_int_equal(pst(x, 2)->tx_frames, 1);
	assert_int_equal(pst(x, 2)->tx_bytes, 3000);
	assert_int_equal(pst(x, 1)->tx_frames, 0);
}

/* when every target drops it as tx-oversize, nothing else is counted */
static void rule7_all_targets_tx_oversize_counts_nothing_else(void **state)
{
	struct fx *x = *state;

	assert_int_equal(bridge_port_set_mtu(x->br, 0, 9000), 0);
	teach(x, mac_b, 1);
	in(x, 0, eth_len(x, mac_b, mac_a, 1515));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_TX_OVERSIZE, "tx-oversize", 1);
	in(x, 0, eth_len(x, bcast, mac_a, 1515));
	expect_nothing(x);
	expect_no_drops(x, 0);
	expect_drop(x, 1, BR_DROP_TX_OVERSIZE, "tx-oversize", 2);
	expect_drop(x, 5, BR_DROP_TX_OVERSIZE, "tx-oversize", 1);
}

/* the egress MTU check allows the tag on a tagged egress: out_len <= mtu + out_l2 */
static void rule7_tx_mtu_allows_tag_on_trunk(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 1, 10);
	set_trunk(x, 2, 10, 0);
	f = eth_len(x, bcast, mac_a, 1514);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	assert_int_equal(f->len, 1518);
	f = tagged_len(x, bcast, mac_b, ETH_P_8021Q, 10, 1518);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	assert_int_equal(f->len, 1514);
	expect_no_drops(x, 1);
	expect_no_drops(x, 2);
}

static void rule7_fdb_stats_through_bridge(void **state)
{
	struct fx *x = *state;
	struct fdb_stats st;

	teach(x, mac_a, 1);
	teach(x, mac_b, 2);
	teach(x, mac_c, 3);
	get_fdb_stats(x, &st);
	assert_int_equal(st.size, 2);
	assert_int_equal(st.n_learned, 2);
	assert_int_equal(st.learned, 3);
	assert_int_equal(st.evicted_bridge_limit, 1);
	assert_int_equal(bridge_age(x->br, x->now + FDB_AGEING_DEFAULT_NS), 2);
	get_fdb_stats(x, &st);
	assert_int_equal(st.size, 0);
	assert_int_equal(st.aged, 2);
}

/* ======== rule 8: batches ======== */

static void rule8_burst_max_frames_listed_in_order(void **state)
{
	struct fx *x = *state;
	struct frame *f[BRIDGE_BURST_MAX];
	unsigned int i;

	teach(x, mac_b, 1);
	for (i = 0; i < BRIDGE_BURST_MAX; i++)
		f[i] = eth(x, mac_b, mac_a);
	in_burst(x, 0, f, BRIDGE_BURST_MAX);
	assert_int_equal(x->out->n_active, 1);
	assert_int_equal(x->out->active[0], 1);
	assert_int_equal(x->out->tx[1].n, BRIDGE_BURST_MAX);
	for (i = 0; i < BRIDGE_BURST_MAX; i++) {
		assert_ptr_equal(x->out->tx[1].frames[i], f[i]);
		assert_int_equal(f[i]->refs, 1);
		assert_int_equal(f[i]->port, 0);
	}
	assert_int_equal(pst(x, 0)->rx_frames, BRIDGE_BURST_MAX);
	assert_int_equal(pst(x, 1)->tx_frames, BRIDGE_BURST_MAX);
	assert_int_equal(pst(x, 1)->tx_bytes, 60 * BRIDGE_BURST_MAX);
}

/* a flood is one frame pointer listed for every target, refs = number of lists */
static void rule8_flood_burst_shares_frame_pointers(void **state)
{
	struct fx *x = *state;
	struct frame *f[BRIDGE_BURST_MAX];
	unsigned int i, p;

	for (i = 0; i < BRIDGE_BURST_MAX; i++)
		f[i] = eth(x, bcast, mac_a);
	in_burst(x, 3, f, BRIDGE_BURST_MAX);
	assert_int_equal(x->out->n_active, 5);
	assert_int_equal(x->out->n_clones, 0);
	for (p = 0; p < NPORTS; p++) {
		assert_int_equal(x->out->tx[p].n, p == 3 ? 0 : BRIDGE_BURST_MAX);
		for (i = 0; p != 3 && i < BRIDGE_BURST_MAX; i++)
			assert_ptr_equal(x->out->tx[p].frames[i], f[i]);
	}
	for (i = 0; i < BRIDGE_BURST_MAX; i++)
		assert_int_equal(f[i]->refs, 5);
}

static void rule8_active_ports_in_first_use_order(void **state)
{
	struct fx *x = *state;
	struct frame *f[3];

	teach(x, mac_b, 3);
	teach(x, mac_c, 1);
	f[0] = eth(x, mac_b, mac_a);
	f[1] = eth(x, mac_c, mac_a);
	f[2] = eth(x, bcast, mac_a);
	in_burst(x, 0, f, 3);
	assert_int_equal(x->out->n_active, 5);
	assert_int_equal(x->out->active[0], 3);
	assert_int_equal(x->out->active[1], 1);
	assert_int_equal(x->out->active[2], 2);
	assert_int_equal(x->out->active[3], 4);
	assert_int_equal(x->out->active[4], 5);
	assert_int_equal(x->out->tx[3].n, 2);
	assert_ptr_equal(x->out->tx[3].frames[0], f[0]);
	assert_ptr_equal(x->out->tx[3].frames[1], f[2]);
	assert_int_equal(x->out->tx[1].n, 2);
	assert_ptr_equal(x->out->tx[1].frames[0], f[1]);
	assert_ptr_equal(x->out->tx[1].frames[1], f[2]);
	assert_int_equal(x->out->tx[2].n, 1);
	assert_int_equal(x->out->tx[0].n, 0);
	assert_int_equal(f[0]->refs, 1);
	assert_int_equal(f[1]->refs, 1);
	assert_int_equal(f[2]->refs, 5);
}

/* untagged in, both forms out: the frame stays untagged, one copy carries the tag */
static void rule8_copy_only_where_tagging_differs(void **state)
{
	struct fx *x = *state;
	struct frame *f, *s[2];
	uint8_t *data0;

	set_access(x, 1, 10);
	set_access(x, 2, 10);
	set_trunk(x, 3, 10, 0);
	set_trunk(x, 4, 10, 20);
	give_spares(x, 2);
	s[0] = x->out->spare[0];
	s[1] = x->out->spare[1];
	f = eth(x, bcast, mac_a);
	data0 = f->data;
	in(x, 1, f);

	assert_int_equal(x->out->n_clones, 1);
	assert_ptr_equal(x->out->clones[0], s[1]);
	assert_int_equal(x->out->n_spare, 1);
	assert_ptr_equal(x->out->spare[0], s[0]);
	assert_int_equal(x->out->n_active, 3);
	assert_int_equal(x->out->active[0], 2);
	assert_int_equal(x->out->active[1], 3);
	assert_int_equal(x->out->active[2], 4);
	assert_int_equal(x->out->tx[2].n, 1);
	assert_ptr_equal(x->out->tx[2].frames[0], f);
	assert_int_equal(x->out->tx[3].n, 1);
	assert_ptr_equal(x->out->tx[3].frames[0], s[1]);
	assert_int_equal(x->out->tx[4].n, 1);
	assert_ptr_equal(x->out->tx[4].frames[0], s[1]);
	assert_int_equal(f->refs, 1);
	assert_int_equal(s[1]->refs, 2);
	assert_ptr_equal(f->data, data0);
	expect_untagged(f, bcast, mac_a, 60);
	expect_tagged(s[1], bcast, mac_a, 10, 64);
	assert_int_equal(pst(x, 2)->tx_bytes, 60);
	assert_int_equal(pst(x, 3)->tx_bytes, 64);
	assert_int_equal(pst(x, 4)->tx_bytes, 64);
	expect_no_drops(x, 1);
}

/* tagged in, both forms out: the frame is popped, the copy keeps the tag (and its PCP) */
static void rule8_copy_of_tagged_frame_original_popped(void **state)
{
	struct fx *x = *state;
	struct frame *f, *s;

	set_access(x, 1, 10);
	set_access(x, 2, 10);
	set_trunk(x, 3, 10, 0);
	set_trunk(x, 4, 10, 0);
	give_spares(x, 1);
	s = x->out->spare[0];
	f = tagged(x, bcast, mac_a, ttci(5, 0, 10));
	in(x, 3, f);
	assert_int_equal(x->out->n_clones, 1);
	assert_ptr_equal(x->out->clones[0], s);
	assert_int_equal(x->out->n_spare, 0);
	assert_int_equal(x->out->n_active, 3);
	assert_int_equal(x->out->active[0], 1);
	assert_int_equal(x->out->active[1], 2);
	assert_int_equal(x->out->active[2], 4);
	assert_ptr_equal(x->out->tx[1].frames[0], f);
	assert_ptr_equal(x->out->tx[2].frames[0], f);
	assert_ptr_equal(x->out->tx[4].frames[0], s);
	assert_int_equal(f->refs, 2);
	assert_int_equal(s->refs, 1);
	expect_untagged(f, bcast, mac_a, 60);
	expect_tagged(s, bcast, mac_a, ttci(5, 0, 10), 64);
}

static void rule8_no_copy_when_all_targets_want_one_form(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 1, 10);
	set_trunk(x, 3, 10, 0);
	set_trunk(x, 4, 10, 0);
	give_spares(x, 2);
	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 3, 4);
	assert_int_equal(x->out->n_spare, 2);
	expect_tagged(f, bcast, mac_a, 10, 64);
}

static void rule8_no_spare_is_no_buffer(void **state)
{
	struct fx *x = *state;
	uint16_t p;

	set_access(x, 1, 10);
	set_access(x, 2, 10);
	set_trunk(x, 3, 10, 0);
	give_spares(x, 0);
	in(x, 1, eth(x, bcast, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_NO_BUFFER, "no-buffer", 1);
	for (p = 0; p < NPORTS; p++)
		assert_int_equal(pst(x, p)->tx_frames, 0);
	/* the source was learned before */
	assert_int_equal(lookup(x, mac_a, 10), 1);
}

/* spares are taken from the end, one per frame that needs both forms */
static void rule8_spares_taken_from_end_one_per_frame(void **state)
{
	struct fx *x = *state;
	struct frame *f[3], *s[3];
	unsigned int i;

	set_access(x, 1, 10);
	set_access(x, 2, 10);
	set_trunk(x, 3, 10, 0);
	give_spares(x, 3);
	for (i = 0; i < 3; i++) {
		s[i] = x->out->spare[i];
		f[i] = eth(x, bcast, mac_a);
	}
	in_burst(x, 1, f, 3);
	assert_int_equal(x->out->n_spare, 0);
	assert_int_equal(x->out->n_clones, 3);
	assert_int_equal(x->out->n_active, 2);
	assert_int_equal(x->out->tx[2].n, 3);
	assert_int_equal(x->out->tx[3].n, 3);
	for (i = 0; i < 3; i++) {
		assert_ptr_equal(x->out->clones[i], s[2 - i]);
		assert_ptr_equal(x->out->tx[2].frames[i], f[i]);
		assert_ptr_equal(x->out->tx[3].frames[i], s[2 - i]);
		expect_tagged(s[2 - i], bcast, mac_a, 10, 64);
	}

	/* two spares for three frames: the third is no-buffer */
	give_spares(x, 2);
	s[0] = x->out->spare[0];
	s[1] = x->out->spare[1];
	for (i = 0; i < 3; i++)
		f[i] = eth(x, bcast, mac_b);
	in_burst(x, 1, f, 3);
	assert_int_equal(x->out->n_clones, 2);
	assert_ptr_equal(x->out->clones[0], s[1]);
	assert_ptr_equal(x->out->clones[1], s[0]);
	assert_int_equal(x->out->tx[2].n, 2);
	assert_int_equal(x->out->tx[3].n, 2);
	assert_ptr_equal(x->out->tx[2].frames[1], f[1]);
	assert_ptr_equal(x->out->tx[3].frames[1], s[0]);
	expect_only_drop(x, 1, BR_DROP_NO_BUFFER, "no-buffer", 1);
}

static void rule8_no_headroom_for_push(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	unsigned int room;

	set_access(x, 1, 10);
	set_trunk(x, 3, 10, 0);
	for (room = 0; room < VLAN_HLEN; room++) {
		f = tpool_frame(&x->pool);
		f->data = f->head + room;
		f->len = tb_eth(f->data, bcast, mac_a, TYPE, PLEN, SEED);
		in(x, 1, f);
		expect_nothing(x);
	}
	expect_only_drop(x, 1, BR_DROP_NO_HEADROOM, "no-headroom", VLAN_HLEN);
	assert_int_equal(pst(x, 3)->tx_frames, 0);

	f = tpool_frame(&x->pool);
	f->data = f->head + VLAN_HLEN;
	f->len = tb_eth(f->data, bcast, mac_a, TYPE, PLEN, SEED);
	in(x, 1, f);
	EXPECT_OUT(x, f, 3);
	assert_ptr_equal(f->data, f->head);
	expect_tagged(f, bcast, mac_a, 10, 64);

	/* a copy has its own headroom: no push on the frame itself */
	set_access(x, 2, 10);
	give_spares(x, 1);
	f = tpool_frame(&x->pool);
	f->data = f->head;
	f->len = tb_eth(f->data, bcast, mac_a, TYPE, PLEN, SEED);
	in(x, 1, f);
	assert_int_equal(x->out->n_clones, 1);
	assert_int_equal(x->out->tx[2].n, 1);
	assert_ptr_equal(x->out->tx[2].frames[0], f);
	assert_int_equal(x->out->tx[3].n, 1);
	expect_tagged(x->out->tx[3].frames[0], bcast, mac_a, 10, 64);
	expect_drop(x, 1, BR_DROP_NO_HEADROOM, "no-headroom", VLAN_HLEN);
}

static void rule8_output_emptied_each_call(void **state)
{
	struct fx *x = *state;
	struct frame *f[2];

	set_access(x, 1, 10);
	set_access(x, 2, 10);
	set_trunk(x, 3, 10, 0);
	give_spares(x, 1);
	f[0] = eth(x, bcast, mac_a);
	f[1] = eth(x, stp, mac_a);
	in_burst(x, 1, f, 2);
	assert_int_equal(x->out->n_active, 2);
	assert_int_equal(x->out->n_control, 1);
	assert_int_equal(x->out->n_clones, 1);
	in(x, 1, eth_len(x, bcast, mac_a, 5));
	expect_nothing(x);
	in(x, 3, tagged(x, mac_e, mac_b, 10));
	assert_int_equal(x->out->n_active, 2);
	assert_int_equal(x->out->tx[1].n, 1);
	assert_int_equal(x->out->tx[2].n, 1);
	assert_int_equal(x->out->tx[3].n, 0);
	assert_int_equal(x->out->n_control, 0);
	assert_int_equal(x->out->n_clones, 0);
}

/* every frame of a burst ends up in exactly one of: output lists, control, dropped */
static void rule8_mixed_burst_each_frame_in_one_place(void **state)
{
	struct fx *x = *state;
	struct frame *f[6];

	teach(x, mac_b, 2);
	f[0] = eth_len(x, bcast, mac_a, 12); /* runt */
	f[1] = eth(x, stp, mac_a);	     /* control */
	f[2] = eth(x, mac_b, mac_a);	     /* to 2 */
	f[3] = eth(x, mac_b, zero);	     /* bad-source */
	f[4] = eth(x, bcast, mac_a);	     /* flood */
	f[5] = eth(x, stp, mac_c);	     /* control */
	in_burst(x, 4, f, 6);
	assert_int_equal(x->out->n_control, 2);
	assert_ptr_equal(x->out->control[0], f[1]);
	assert_ptr_equal(x->out->control[1], f[5]);
	assert_int_equal(x->out->n_active, 5);
	assert_int_equal(x->out->active[0], 2);
	assert_int_equal(x->out->tx[2].n, 2);
	assert_ptr_equal(x->out->tx[2].frames[0], f[2]);
	assert_ptr_equal(x->out->tx[2].frames[1], f[4]);
	assert_int_equal(x->out->tx[0].n, 1);
	assert_ptr_equal(x->out->tx[0].frames[0], f[4]);
	assert_int_equal(x->out->tx[4].n, 0);
	assert_int_equal(f[2]->refs, 1);
	assert_int_equal(f[4]->refs, 5);
	assert_int_equal(f[1]->port, 4);
	assert_int_equal(f[2]->port, 4);
	expect_drop(x, 4, BR_DROP_RUNT, "runt", 1);
	expect_drop(x, 4, BR_DROP_BAD_SOURCE, "bad-source", 1);
	assert_int_equal(pst(x, 4)->rx_frames, 6);
	assert_int_equal(pst(x, 4)->rx_control, 2);
}

static void rule8_config_defaults(void **state)
{
	struct bridge_config c;

	(void)state;
	memset(&c, 0x55, sizeof(c));
	bridge_config_default(&c);
	assert_true(c.vlan_filtering);
	assert_int_equal(c.max_ports, BRIDGE_PORTS_MAX);
	assert_int_equal(c.default_pvid, 1);
	assert_int_equal(c.fdb_max_learned, FDB_MAX_LEARNED_DEFAULT);
	assert_int_equal(c.fdb_max_static, FDB_MAX_STATIC_DEFAULT);
	assert_int_equal(c.ageing_ns, FDB_AGEING_DEFAULT_NS);
}

static void rule8_bridge_new_rejects_bad_config(void **state)
{
	struct bridge_config c;
	struct bridge *br;

	(void)state;
	bridge_config_default(&c);
	c.max_ports = 0;
	assert_null(bridge_new(&c));
	c.max_ports = BRIDGE_PORTS_MAX + 1;
	assert_null(bridge_new(&c));
	c.max_ports = 1;
	c.default_pvid = 4095;
	assert_null(bridge_new(&c));
	c.default_pvid = 4094;
	br = bridge_new(&c);
	assert_non_null(br);
	assert_int_equal(bridge_max_ports(br), 1);
	assert_int_equal(bridge_port_add(br), 0);
	assert_int_equal(bridge_port_add(br), -ENOSPC);
	assert_int_equal(bridge_port_vlan(br, 0)->pvid, 4094);
	bridge_free(br);
	bridge_free(NULL);
}

static void rule8_port_numbers_and_defaults(void **state)
{
	struct fx *x = *state;
	const struct bridge_port_stats *st;
	const struct vlan_port *v;
	unsigned int d;

	assert_int_equal(bridge_max_ports(x->br), MAXP);
	assert_true(bridge_port_exists(x->br, 5));
	assert_false(bridge_port_exists(x->br, 6));
	assert_int_equal(bridge_port_add(x->br), 6);
	assert_int_equal(bridge_port_add(x->br), 7);
	assert_int_equal(bridge_port_add(x->br), -ENOSPC);
	assert_int_equal(bridge_port_set_mtu(x->br, 3, 9000), 0);
	assert_int_equal(bridge_port_set_state(x->br, 3, BR_STATE_BLOCKING), 0);
	assert_int_equal(bridge_port_del(x->br, 3), 0);
	assert_int_equal(bridge_port_del(x->br, 3), -ENOENT);
	assert_int_equal(bridge_port_del(x->br, MAXP), -ENOENT);
	assert_int_equal(bridge_port_add(x->br), 3);

	assert_int_equal(bridge_port_state(x->br, 3), BR_STATE_FORWARDING);
	assert_int_equal(bridge_port_flags(x->br, 3), BR_PORT_FLAGS_DEFAULT);
	assert_int_equal(bridge_port_mtu(x->br, 3), BRIDGE_MTU_DEFAULT);
	v = bridge_port_vlan(x->br, 3);
	assert_int_equal(v->pvid, 1);
	assert_int_equal(v->n_members, 1);
	assert_true(vlan_is_member(v, 1));
	assert_true(vlan_is_untagged(v, 1));
	st = bridge_port_stats(x->br, 7);
	assert_int_equal(st->rx_frames + st->rx_bytes + st->tx_frames + st->tx_bytes, 0);
	assert_int_equal(st->rx_control + fdb_port_evicted(bridge_fdb_const(x->br), 7), 0);
	for (d = 0; d < BR_DROP__MAX; d++)
		assert_int_equal(st->drops[d], 0);
	assert_int_equal(fdb_ageing(bridge_fdb_const(x->br)), FDB_AGEING_DEFAULT_NS);
}

static void rule8_setters_validate(void **state)
{
	struct fx *x = *state;

	assert_int_equal(bridge_port_set_mtu(x->br, 1, BRIDGE_MTU_MIN - 1), -EINVAL);
	assert_int_equal(bridge_port_set_mtu(x->br, 1, BRIDGE_MTU_MAX + 1), -EINVAL);
	assert_int_equal(bridge_port_mtu(x->br, 1), BRIDGE_MTU_DEFAULT);
	assert_int_equal(bridge_port_set_mtu(x->br, 1, BRIDGE_MTU_MIN), 0);
	assert_int_equal(bridge_port_mtu(x->br, 1), BRIDGE_MTU_MIN);
	assert_int_equal(bridge_port_set_mtu(x->br, 1, BRIDGE_MTU_MAX), 0);
	assert_int_equal(bridge_port_mtu(x->br, 1), BRIDGE_MTU_MAX);
	assert_int_equal(bridge_port_set_mtu(x->br, NPORTS, 1500), -ENOENT);

	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_FLAGS_ALL + 1, 0), -EINVAL);
	assert_int_equal(bridge_port_flags(x->br, 1), BR_PORT_FLAGS_DEFAULT);
	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_ISOLATED | BR_PORT_HAIRPIN,
					       BR_PORT_FLOOD | BR_PORT_LEARNING),
			 0);
	assert_int_equal(bridge_port_flags(x->br, 1), BR_PORT_MCAST_FLOOD | BR_PORT_BCAST_FLOOD |
							      BR_PORT_ISOLATED | BR_PORT_HAIRPIN);
	assert_int_equal(bridge_port_set_flags(x->br, 1, 0, BR_PORT_FLAGS_ALL), 0);
	assert_int_equal(bridge_port_flags(x->br, 1), 0);
	assert_int_equal(bridge_port_set_flags(x->br, NPORTS, BR_PORT_FLOOD, 0), -ENOENT);

	assert_int_equal(bridge_port_set_state(x->br, 1, (enum bridge_port_state)5), -EINVAL);
	assert_int_equal(bridge_port_state(x->br, 1), BR_STATE_FORWARDING);
	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_LISTENING), 0);
	assert_int_equal(bridge_port_state(x->br, 1), BR_STATE_LISTENING);
	assert_int_equal(bridge_port_set_state(x->br, NPORTS, BR_STATE_FORWARDING), -ENOENT);

	assert_int_equal(bridge_port_set_learn_limit(x->br, 1, 5), 0);
	assert_int_equal(bridge_port_set_learn_limit(x->br, NPORTS, 5), -ENOENT);
}

/* ======== VEPA and private bridges (enum bridge_relay): port 0 is the uplink ======== */

static void relay_set(struct fx *x, enum bridge_relay r)
{
	assert_int_equal(bridge_set_relay(x->br, r), 0);
	assert_int_equal(bridge_relay(x->br), r);
	assert_int_equal(bridge_port_set_uplink(x->br, 0, true), 0);
	assert_true(bridge_port_uplink(x->br, 0));
	assert_false(bridge_port_uplink(x->br, 1));
}

static void relay_names_and_bad_values(void **state)
{
	struct fx *x = *state;

	assert_string_equal(bridge_relay_name(BR_RELAY_VEB), "veb");
	assert_string_equal(bridge_relay_name(BR_RELAY_VEPA), "vepa");
	assert_string_equal(bridge_relay_name(BR_RELAY_PRIVATE), "private");
	assert_null(bridge_relay_name(BR_RELAY__MAX));
	assert_int_equal(bridge_set_relay(x->br, BR_RELAY__MAX), -EINVAL);
	assert_int_equal(bridge_relay(x->br), BR_RELAY_VEB);
	assert_int_equal(bridge_port_set_uplink(x->br, MAXP - 1, true), -ENOENT);
}

/* a station's floods and unicasts go out the uplink only, never to another station */
static void relay_station_reaches_only_the_uplink(enum bridge_relay r, struct fx *x)
{
	struct frame *f;

	relay_set(x, r);
	teach(x, mac_a, 1);
	teach(x, mac_b, 2);
	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0);
	f = eth(x, mac_e, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0);
	/* to a station: up to the adjacent bridge, which may send it back */
	f = eth(x, mac_b, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0);
	f = eth(x, mac_a, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0);
	/* to the LAN, learned on the uplink */
	teach(x, mac_e, 0);
	f = eth(x, mac_e, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0);
	expect_no_drops(x, 1);
	expect_no_drops(x, 2);
}

static void relay_vepa_station_reaches_only_the_uplink(void **state)
{
	relay_station_reaches_only_the_uplink(BR_RELAY_VEPA, *state);
}

static void relay_private_station_reaches_only_the_uplink(void **state)
{
	relay_station_reaches_only_the_uplink(BR_RELAY_PRIVATE, *state);
}

/* without an uplink, a station's frame has nowhere to go */
static void relay_no_uplink_no_dest(void **state)
{
	struct fx *x = *state;

	assert_int_equal(bridge_set_relay(x->br, BR_RELAY_VEPA), 0);
	teach(x, mac_b, 2);
	expect_only_drop(x, 2, BR_DROP_NO_DEST, "no-dest", 1);
	in(x, 1, eth(x, mac_b, mac_a));
	expect_nothing(x);
	expect_drop(x, 1, BR_DROP_NO_DEST, "no-dest", 1);
}

/* a frame of the adjacent bridge goes to the stations only, by MAC */
static void relay_vepa_uplink_reaches_stations(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	relay_set(x, BR_RELAY_VEPA);
	assert_int_equal(bridge_port_set_uplink(x->br, 5, true), 0);
	teach(x, mac_a, 1);
	f = eth(x, bcast, mac_e);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1, 2, 3, 4); /* not the other uplink */
	assert_int_equal(lookup(x, mac_e, 1), 0);
	f = eth(x, mac_a, mac_e);
	in(x, 0, f);
	EXPECT_OUT(x, f, 1);
	/* the other uplink is not reached even by a known unicast */
	teach(x, mac_d, 5);
	in(x, 0, eth(x, mac_d, mac_e));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_ISOLATED, "isolated", 1);
}

/* reflective relay: a station's frame sent back reaches the others, not its sender, and
 * the station's address stays on its port */
static void relay_vepa_reflection_is_delivered_not_learned(void **state)
{
	struct fx *x = *state;
	struct fdb_stats st;
	struct frame *f;

	relay_set(x, BR_RELAY_VEPA);
	teach(x, mac_a, 1);
	teach(x, mac_b, 2);
	f = eth(x, bcast, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 2, 3, 4, 5);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	f = eth(x, mac_b, mac_a);
	in(x, 0, f);
	EXPECT_OUT(x, f, 2);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	get_fdb_stats(x, &st);
	assert_int_equal(st.moved, 0);
	expect_no_drops(x, 0);
}

/* private: a reflection is dropped, so stations never meet; the LAN still reaches them */
static void relay_private_reflection_is_dropped(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	relay_set(x, BR_RELAY_PRIVATE);
	teach(x, mac_a, 1);
	teach(x, mac_b, 2);
	in(x, 0, eth(x, mac_b, mac_a));
	expect_nothing(x);
	in(x, 0, eth(x, bcast, mac_a));
	expect_nothing(x);
	expect_only_drop(x, 0, BR_DROP_ISOLATED, "isolated", 2);
	assert_int_equal(lookup(x, mac_a, 1), 1);
	f = eth(x, mac_b, mac_e);
	in(x, 0, f);
	EXPECT_OUT(x, f, 2);
	f = eth(x, mac_e, mac_b);
	in(x, 2, f);
	EXPECT_OUT(x, f, 0);
}

/* hairpin on a station does not let it reach itself: the uplink is its only way out */
static void relay_station_hairpin_ignored(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	relay_set(x, BR_RELAY_VEPA);
	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_HAIRPIN, 0), 0);
	teach(x, mac_a, 1);
	f = eth(x, mac_a, mac_b);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0);
	f = eth(x, bcast, mac_b);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0);
}

/* back to VEB: an ordinary bridge again, the uplink mark ignored */
static void relay_back_to_veb(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	relay_set(x, BR_RELAY_PRIVATE);
	assert_int_equal(bridge_set_relay(x->br, BR_RELAY_VEB), 0);
	f = eth(x, bcast, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 0, 2, 3, 4, 5);
}

/* ======== S-VLAN bridges (802.1ad) and dot1q-tunnel ports ======== */

/* a frame with an outer (@tpid1, @tci1) and, if @tpid2, an inner (@tpid2, @tci2) tag */
static struct frame *qinq(struct fx *x, uint16_t tpid1, uint16_t tci1, uint16_t tpid2,
			  uint16_t tci2, uint32_t plen)
{
	struct frame *f = tpool_frame(&x->pool);
	uint16_t tags[4] = { tpid1, tci1, tpid2, tci2 };

	tf_reset(f);
	f->len = tbytes(f->data, mac_b, mac_a, tpid2 ? 2 : 1, tags, TYPE, NULL, plen, SEED);
	return f;
}

static void expect_qinq(const struct frame *f, uint16_t tpid1, uint16_t tci1, uint16_t tpid2,
			uint16_t tci2, uint32_t plen)
{
	uint16_t tags[4] = { tpid1, tci1, tpid2, tci2 };
	uint32_t n = tbytes(want, mac_b, mac_a, tpid2 ? 2 : 1, tags, TYPE, NULL, plen, SEED);

	assert_int_equal(f->len, n);
	assert_memory_equal(f->data, want, n);
}

/* port 1: access to S-VLAN 100 (the customer's port); port 2: trunk of S-VLANs 100, 200 */
static void svlan_setup(struct fx *x)
{
	assert_int_equal(bridge_set_vlan_proto(x->br, ETH_P_8021AD), 0);
	assert_int_equal(bridge_vlan_proto(x->br), ETH_P_8021AD);
	set_access(x, 1, 100);
	set_trunk(x, 2, 100, 200);
	set_access(x, 3, 200);
}

static void svlan_proto_values(void **state)
{
	struct fx *x = *state;
	struct bridge_config c;

	assert_int_equal(bridge_vlan_proto(x->br), ETH_P_8021Q);
	assert_int_equal(bridge_set_vlan_proto(x->br, 0x9100), -EINVAL);
	assert_int_equal(bridge_vlan_proto(x->br), ETH_P_8021Q);
	bridge_config_default(&c);
	assert_int_equal(c.vlan_proto, ETH_P_8021Q);
	c.vlan_proto = 0x0800;
	assert_null(bridge_new(&c));
	c.vlan_proto = ETH_P_8021AD;
	bridge_free(bridge_new(&c));
}

/* a customer's C-tagged and untagged frames leave the trunk inside S-tag 100, C-tag intact */
static void svlan_ctag_is_payload(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	svlan_setup(x);
	f = qinq(x, ETH_P_8021Q, ttci(3, 0, 5), 0, 0, PLEN);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_qinq(f, ETH_P_8021AD, 100, ETH_P_8021Q, ttci(3, 0, 5), PLEN);
	f = eth(x, mac_b, mac_a);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_qinq(f, ETH_P_8021AD, 100, 0, 0, PLEN);
	expect_no_drops(x, 1);
}

/* S-tag 100 from the trunk reaches only S-VLAN 100's customer, popped; S-tag 200 only 200's */
static void svlan_stag_popped_to_customer(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	svlan_setup(x);
	f = qinq(x, ETH_P_8021AD, 100, ETH_P_8021Q, 7, PLEN);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	expect_qinq(f, ETH_P_8021Q, 7, 0, 0, PLEN);
	f = qinq(x, ETH_P_8021AD, 200, ETH_P_8021Q, 7, PLEN);
	in(x, 2, f);
	EXPECT_OUT(x, f, 3);
	/* a C-tag alone on the trunk is an untagged frame: the trunk has no PVID */
	in(x, 2, qinq(x, ETH_P_8021Q, 100, 0, 0, PLEN));
	expect_nothing(x);
	expect_only_drop(x, 2, BR_DROP_NO_PVID, "no-pvid", 1);
	/* an S-VLAN the trunk does not carry */
	in(x, 2, qinq(x, ETH_P_8021AD, 300, 0, 0, PLEN));
	expect_drop(x, 2, BR_DROP_INGRESS_FILTER, "ingress-filter", 1);
	expect_drop(x, 2, BR_DROP_QINQ, "qinq", 0);
}

/* both tags are headers: a full-size customer frame fits the trunk's MTU with both */
static void svlan_mtu_counts_both_tags(void **state)
{
	struct fx *x = *state;
	struct frame *f;
	uint32_t plen = BRIDGE_MTU_DEFAULT; /* an L3 packet of exactly the MTU */

	svlan_setup(x);
	f = qinq(x, ETH_P_8021AD, 100, ETH_P_8021Q, 7, plen);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	f = qinq(x, ETH_P_8021Q, 7, 0, 0, plen);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	assert_int_equal(f->len, ETH_HLEN + 2 * VLAN_HLEN + BRIDGE_MTU_DEFAULT);
	expect_no_drops(x, 1);
	expect_no_drops(x, 2);
	in(x, 2, qinq(x, ETH_P_8021AD, 100, ETH_P_8021Q, 7, plen + 1));
	expect_drop(x, 2, BR_DROP_OVERSIZE, "oversize", 1);
}

/* on an 802.1Q bridge, a dot1q-tunnel port pushes the outer tag onto whatever it gets */
static void tunnel_port_on_8021q_bridge(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	set_access(x, 1, 100);
	set_trunk(x, 2, 100, 0);
	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_DOT1Q_TUNNEL, 0), 0);
	f = qinq(x, ETH_P_8021Q, 5, 0, 0, PLEN);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_qinq(f, ETH_P_8021Q, 100, ETH_P_8021Q, 5, PLEN);
	/* an S-tagged frame is carried too, not dropped as qinq */
	f = qinq(x, ETH_P_8021AD, 6, 0, 0, PLEN);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_qinq(f, ETH_P_8021Q, 100, ETH_P_8021AD, 6, PLEN);
	/* and back: the outer tag popped, the customer's kept */
	f = qinq(x, ETH_P_8021Q, 100, ETH_P_8021Q, 5, PLEN);
	in(x, 2, f);
	EXPECT_OUT(x, f, 1);
	expect_qinq(f, ETH_P_8021Q, 5, 0, 0, PLEN);
	expect_no_drops(x, 1);
	/* without the flag, the tag is the customer's VLAN 5, which port 1 is not in */
	assert_int_equal(bridge_port_set_flags(x->br, 1, 0, BR_PORT_DOT1Q_TUNNEL), 0);
	in(x, 1, qinq(x, ETH_P_8021Q, 5, 0, 0, PLEN));
	expect_only_drop(x, 1, BR_DROP_INGRESS_FILTER, "ingress-filter", 1);
}

/* on an S-VLAN bridge, a dot1q-tunnel port takes even S-tagged frames as its customer's */
static void tunnel_port_on_svlan_bridge(void **state)
{
	struct fx *x = *state;
	struct frame *f;

	svlan_setup(x);
	in(x, 1, qinq(x, ETH_P_8021AD, 9, 0, 0, PLEN));
	expect_nothing(x);
	expect_only_drop(x, 1, BR_DROP_INGRESS_FILTER, "ingress-filter", 1);
	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_DOT1Q_TUNNEL, 0), 0);
	f = qinq(x, ETH_P_8021AD, 9, 0, 0, PLEN);
	in(x, 1, f);
	EXPECT_OUT(x, f, 2);
	expect_qinq(f, ETH_P_8021AD, 100, ETH_P_8021AD, 9, PLEN);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
#define TN(f) cmocka_unit_test_setup_teardown(f, setup_nofilter, teardown)
#define TL(f) cmocka_unit_test_setup_teardown(f, setup_limit2, teardown)
#define TP(f) cmocka_unit_test_setup_teardown(f, setup_no_default_pvid, teardown)
	const struct CMUnitTest tests[] = {
		T(rule1_runt_is_dropped_and_counted),
		T(rule1_tagged_runt_is_dropped_on_filtering_bridge),
		T(rule1_oversize_untagged_over_mtu_plus_14),
		T(rule1_oversize_tagged_allows_mtu_plus_18),
		T(rule1_oversize_8021ad_uses_18_and_comes_first),
		T(rule1_oversize_follows_ingress_port_mtu),
		T(rule1_qinq_dropped_on_filtering_bridge),
		T(rule1_push_in_place_keeps_payload_address),
		T(rule1_pop_in_place_keeps_payload_address),
		T(rule2_untagged_ingress_takes_pvid),
		T(rule2_no_pvid_drops_untagged_and_priority_tagged),
		T(rule2_priority_tagged_takes_pvid_keeps_pcp_dei),
		T(rule2_priority_tagged_to_untagged_port_is_popped),
		T(rule2_pvid_with_tagged_egress_gets_tag_pushed),
		T(rule2_tagged_member_vid_accepted_on_access_port),
		T(rule2_ingress_filter_drops_non_member_vid),
		T(rule2_vid_4095_is_dropped),
		T(rule2_egress_only_to_member_ports),
		T(rule2_tag_kept_on_tagged_egress),
		T(rule2_pvid_cleared_by_readd_or_delete),
		T(rule2_bridge_vlan_errors),
		TP(rule2_no_default_pvid_drops_untagged),
		T(rule3_access_spec_membership_and_frames),
		T(rule3_native_tagged_trunk_frames),
		T(rule3_native_untagged_trunk_frames),
		T(rule3_bridge_apply_spec_errors_leave_membership),
		T(rule3_apply_spec_replaces_and_flushes_learned),
		TN(rule4_no_filtering_forwards_tagged_frames_as_they_came),
		TN(rule4_no_filtering_forwards_8021ad_as_it_came),
		TN(rule4_no_filtering_forwards_short_tagged_frame),
		TN(rule4_no_filtering_ignores_membership),
		TN(rule4_no_filtering_learns_in_vid_0),
		TN(rule4_no_filtering_still_checks_size),
		T(rule4_toggling_filtering_flushes_learned_entries),
		T(rule5_learns_source_and_forwards_to_it),
		T(rule5_same_mac_on_two_ports_in_two_vlans),
		T(rule5_multicast_or_zero_source_is_bad_source),
		T(rule5_no_learning_from_frames_failing_ingress),
		T(rule5_learned_even_when_dropped_at_destination),
		T(rule5_no_learning_without_learning_flag),
		T(rule5_moving_station_relearned_on_new_port),
		T(rule5_static_entry_not_moved_by_frames),
		T(rule5_port_limit_evicts_oldest_counted),
		TL(rule5_bridge_limit_evicts_from_busiest_port),
		T(rule5_expired_entry_flooded_then_relearned),
		T(rule5_bridge_age_removes_and_counts),
		T(rule5_ageing_time_settable),
		T(rule5_port_del_flushes_all_its_entries),
		T(rule5_vlan_del_flushes_port_dynamic_entries_in_vid),
		T(rule6_known_unicast_to_its_port),
		T(rule6_known_unicast_to_ingress_port_is_same_port),
		T(rule6_hairpin_reflects_known_unicast),
		T(rule6_unknown_unicast_broadcast_multicast_flooded),
		T(rule6_hairpin_port_gets_its_own_flood),
		T(rule6_flood_flag_limits_unknown_unicast_only),
		T(rule6_mcast_flood_flag_limits_multicast_only),
		T(rule6_bcast_flood_flag_limits_broadcast_only),
		T(rule6_no_eligible_port_is_no_dest),
		T(rule6_link_local_goes_to_control),
		T(rule6_01_80_c2_00_00_10_is_not_link_local),
		T(rule6_link_local_taken_before_state_and_vlan_checks),
		T(rule6_stp_off_by_default),
		T(rule6_stp_off_bpdu_is_flooded),
		T(rule6_stp_off_other_link_local_goes_to_control),
		T(rule6_stp_off_bpdu_obeys_state_and_vlan),
		T(rule6_isolated_ports_flood_only_to_non_isolated),
		T(rule6_isolated_known_unicast),
		T(rule6_isolated_hairpin_port),
		T(relay_names_and_bad_values),
		T(relay_vepa_station_reaches_only_the_uplink),
		T(relay_private_station_reaches_only_the_uplink),
		T(relay_no_uplink_no_dest),
		T(relay_vepa_uplink_reaches_stations),
		T(relay_vepa_reflection_is_delivered_not_learned),
		T(relay_private_reflection_is_dropped),
		T(relay_station_hairpin_ignored),
		T(relay_back_to_veb),
		T(svlan_proto_values),
		T(svlan_ctag_is_payload),
		T(svlan_stag_popped_to_customer),
		T(svlan_mtu_counts_both_tags),
		T(tunnel_port_on_8021q_bridge),
		T(tunnel_port_on_svlan_bridge),
		T(rule6_disabled_port_drops_everything),
		T(rule6_blocking_and_listening_drop_without_learning),
		T(rule6_learning_state_learns_but_does_not_forward),
		T(rule6_only_forwarding_ports_get_floods),
		T(rule6_known_unicast_to_non_forwarding_port_is_egress_state),
		T(rule6_known_unicast_to_non_member_is_egress_filter),
		T(rule6_same_port_checked_first),
		T(rule6_disabled_flushes_learned_entries_keeps_static),
		cmocka_unit_test(rule7_drop_names),
		cmocka_unit_test(rule7_port_state_names),
		T(rule7_rx_and_tx_frames_and_bytes),
		T(rule7_tx_oversize_counted_on_egress_port),
		T(rule7_all_targets_tx_oversize_counts_nothing_else),
		T(rule7_tx_mtu_allows_tag_on_trunk),
		TL(rule7_fdb_stats_through_bridge),
		T(rule8_burst_max_frames_listed_in_order),
		T(rule8_flood_burst_shares_frame_pointers),
		T(rule8_active_ports_in_first_use_order),
		T(rule8_copy_only_where_tagging_differs),
		T(rule8_copy_of_tagged_frame_original_popped),
		T(rule8_no_copy_when_all_targets_want_one_form),
		T(rule8_no_spare_is_no_buffer),
		T(rule8_spares_taken_from_end_one_per_frame),
		T(rule8_no_headroom_for_push),
		T(rule8_output_emptied_each_call),
		T(rule8_mixed_burst_each_frame_in_one_place),
		cmocka_unit_test(rule8_config_defaults),
		cmocka_unit_test(rule8_bridge_new_rejects_bad_config),
		T(rule8_port_numbers_and_defaults),
		T(rule8_setters_validate),
	};
#undef T
#undef TN
#undef TL
#undef TP

	return cmocka_run_group_tests(tests, NULL, NULL);
}
