/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_guard.c - the port guards and storm control: guard.c, storm.c, and bridge_input() */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "core/guard.h"
#include "core/storm.h"
#include "helpers.h"

#define SEC 1000000000ull
#define T0 (1000 * SEC)
#define NPORTS 4

static const uint8_t mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t mac_u[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x99 };
static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb };
static const uint8_t mcast6[ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t stp_group[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };

static int setup(void **state)
{
	struct bridge_config c;
	struct tbr *x;

	bridge_config_default(&c);
	c.max_ports = 8;
	c.stp = true;
	x = tbr_new(&c, NPORTS, T0);
	if (!x)
		return -1;
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	tbr_free(*state);
	return 0;
}

static void in(struct tbr *x, uint16_t port, struct frame *f)
{
	bridge_input(x->br, port, &f, 1, x->now, x->out);
}

static uint64_t drops(struct tbr *x, uint16_t port, enum bridge_drop d)
{
	return bridge_port_stats(x->br, port)->drops[d];
}

static struct frame *raw(struct tbr *x, const uint8_t *dst, const uint8_t *src, const uint8_t *l2,
			 uint32_t n)
{
	return tf_raw(&x->pool, dst, src, l2, n);
}

/* ---- packets, from the EtherType on ---- */

/* IPv4 UDP @sport -> @dport, no options */
static uint32_t ip4_udp(uint8_t *p, uint16_t sport, uint16_t dport)
{
	memset(p, 0, 2 + 20 + 8);
	eth_put_be16(p, 0x0800);
	p[2] = 0x45;
	eth_put_be16(p + 4, 28);
	p[2 + 8] = 64;
	p[2 + 9] = 17;
	eth_put_be16(p + 22, sport);
	eth_put_be16(p + 24, dport);
	return 2 + 28;
}

/* IPv6 with @next, then @ext_len bytes of @ext, then @upper_len bytes of @upper */
static uint32_t ip6(uint8_t *p, uint8_t next, const uint8_t *ext, uint32_t ext_len,
		    const uint8_t *upper, uint32_t upper_len)
{
	memset(p, 0, 2 + 40);
	eth_put_be16(p, 0x86dd);
	p[2] = 0x60;
	eth_put_be16(p + 2 + 4, (uint16_t)(ext_len + upper_len));
	p[2 + 6] = next;
	p[2 + 7] = 255;
	if (ext_len)
		memcpy(p + 42, ext, ext_len);
	if (upper_len)
		memcpy(p + 42 + ext_len, upper, upper_len);
	return 42 + ext_len + upper_len;
}

/* ---- guard_classify() ---- */

static void classify_dhcp4(void **state)
{
	struct tbr *x = *state;
	uint8_t b[128];
	uint32_t n = ip4_udp(b, 67, 68);

	assert_int_equal(guard_classify(raw(x, bcast, mac_a, b, n)), GUARD_DHCP_SERVER);
	n = ip4_udp(b, 68, 67); /* a client's request */
	assert_int_equal(guard_classify(raw(x, bcast, mac_a, b, n)), GUARD_NONE);
	n = ip4_udp(b, 67, 68);
	eth_put_be16(b + 2 + 6, 0x0010); /* a later fragment: cannot be judged */
	assert_int_equal(guard_classify(raw(x, bcast, mac_a, b, n)), GUARD_NONE);
}

static void classify_dhcp6_and_ra(void **state)
{
	struct tbr *x = *state;
	uint8_t b[256], udp[8] = { 0x02, 0x23, 0x02, 0x22 }; /* 547 -> 546 */
	uint8_t ra[16] = { 134 }, ns[24] = { 135 };
	uint8_t hbh[8] = { 58, 0 }, frag[8] = { 58, 0, 0, 0 };
	uint32_t n;

	n = ip6(b, 17, NULL, 0, udp, sizeof(udp));
	assert_int_equal(guard_classify(raw(x, mcast6, mac_a, b, n)), GUARD_DHCP_SERVER);
	n = ip6(b, 58, NULL, 0, ra, sizeof(ra));
	assert_int_equal(guard_classify(raw(x, mcast6, mac_a, b, n)), GUARD_ROUTER_ADV);
	n = ip6(b, 58, NULL, 0, ns, sizeof(ns));
	assert_int_equal(guard_classify(raw(x, mcast6, mac_a, b, n)), GUARD_NONE);
	/* an RA behind a hop-by-hop header and a first fragment is still an RA */
	n = ip6(b, 0, hbh, sizeof(hbh), ra, sizeof(ra));
	assert_int_equal(guard_classify(raw(x, mcast6, mac_a, b, n)), GUARD_ROUTER_ADV);
	n = ip6(b, 44, frag, sizeof(frag), ra, sizeof(ra));
	assert_int_equal(guard_classify(raw(x, mcast6, mac_a, b, n)), GUARD_ROUTER_ADV);
	/* and one tagged behind a VLAN tag */
	memmove(b + 4, b, n);
	eth_put_be16(b, ETH_P_8021Q);
	eth_put_be16(b + 2, 10);
	n = ip6(b + 4, 58, NULL, 0, ra, sizeof(ra)) + 4;
	assert_int_equal(guard_classify(raw(x, mcast6, mac_a, b, n)), GUARD_ROUTER_ADV);
}

/* RFC 7113: extension headers that push the ICMPv6 header out of the frame are refused */
static void classify_ra_hidden(void **state)
{
	struct tbr *x = *state;
	uint8_t b[256], dst_opts[8] = { 60, 0 };
	uint32_t n = ip6(b, 60, dst_opts, sizeof(dst_opts), NULL, 0);
	struct frame *f = raw(x, mcast6, mac_a, b, n);

	f->len = 12 + n; /* no padding: the chain runs off the end */
	assert_int_equal(guard_classify(f), GUARD_ROUTER_ADV);
}

/* ---- guard_stacked_tag() ---- */

static void stacked_tags(void **state)
{
	struct tbr *x = *state;
	uint8_t b[64] = { 0 };

	eth_put_be16(b, 0x0800);
	assert_false(guard_stacked_tag(raw(x, mac_b, mac_a, b, 46)));
	eth_put_be16(b, ETH_P_8021Q);
	eth_put_be16(b + 2, ttci(5, 0, 0)); /* priority tag */
	eth_put_be16(b + 4, 0x0800);
	assert_false(guard_stacked_tag(raw(x, mac_b, mac_a, b, 46)));
	eth_put_be16(b + 4, ETH_P_8021Q); /* priority tag, then a VLAN */
	assert_true(guard_stacked_tag(raw(x, mac_b, mac_a, b, 46)));
	eth_put_be16(b + 2, 10);
	eth_put_be16(b + 4, 0x0800);
	assert_true(guard_stacked_tag(raw(x, mac_b, mac_a, b, 46)));
	eth_put_be16(b, ETH_P_8021AD);
	assert_true(guard_stacked_tag(raw(x, mac_b, mac_a, b, 46)));
}

/* ---- storm.c ---- */

static void storm_bucket_rate(void **state)
{
	struct storm_bucket b;
	unsigned passed = 0;

	(void)state;
	assert_int_equal(storm_set(&b, STORM_RATE_MAX + 1, T0), -EINVAL);
	assert_int_equal(storm_set(&b, 0, T0), 0);
	for (int i = 0; i < 1000; i++)
		assert_true(storm_allow(&b, T0));
	assert_int_equal(storm_set(&b, 100, T0), 0);
	/* a second's worth at once, then the rate: 10 s of 1000 frames/s give 100 + 10 * 100 */
	for (uint64_t t = T0; t < T0 + 10 * SEC; t += SEC / 1000)
		passed += storm_allow(&b, t);
	assert_in_range(passed, 1099, 1100);
	/* a clock going back neither refills nor breaks it */
	b.credit = 0;
	assert_false(storm_allow(&b, T0));
}

/* ---- the bridge: BPDU guard ---- */

static struct frame *bpdu(struct tbr *x, const uint8_t *src)
{
	uint8_t b[40] = { 0x00, 0x27, 0x42, 0x42, 0x03 };

	return raw(x, stp_group, src, b, 40);
}

static void bpdu_guard_trips(void **state)
{
	struct tbr *x = *state;
	struct frame *f;

	/* without the guard, a BPDU goes to the control plane */
	in(x, 1, bpdu(x, mac_a));
	assert_int_equal(x->out->n_control, 1);
	assert_int_equal(bridge_port_set_flags(x->br, 1, BR_PORT_BPDU_GUARD, 0), 0);
	/* with it, the BPDU is dropped, and the port goes disabled */
	in(x, 1, bpdu(x, mac_a));
	assert_int_equal(x->out->n_control, 0);
	assert_int_equal(drops(x, 1, BR_DROP_BPDU_GUARD), 1);
	assert_true(bridge_port_bpdu_tripped(x->br, 1));
	assert_int_equal(bridge_port_state(x->br, 1), BR_STATE_DISABLED);
	/* nothing passes, and STP asking for forwarding does not bring it back */
	assert_int_equal(bridge_port_set_state(x->br, 1, BR_STATE_FORWARDING), 0);
	assert_int_equal(bridge_port_state(x->br, 1), BR_STATE_DISABLED);
	f = tf_eth(tpool_frame(&x->pool), bcast, mac_a, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, 0);
	assert_int_equal(drops(x, 1, BR_DROP_PORT_STATE), 1);
	/* the admin's reset: back to what was last asked for */
	assert_int_equal(bridge_port_bpdu_reset(x->br, 1), 0);
	assert_false(bridge_port_bpdu_tripped(x->br, 1));
	assert_int_equal(bridge_port_state(x->br, 1), BR_STATE_FORWARDING);
	f = tf_eth(tpool_frame(&x->pool), bcast, mac_a, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, NPORTS - 1);
	/* an honest port is untouched throughout */
	in(x, 2, bpdu(x, mac_b));
	assert_int_equal(x->out->n_control, 1);
	assert_int_equal(bridge_port_state(x->br, 2), BR_STATE_FORWARDING);
}

/* with STP off BPDUs are forwarded, as the kernel bridge's guard sits in its STP code */
static void bpdu_guard_stp_off(void **state)
{
	struct tbr *x = *state;
	struct frame *f = bpdu(x, mac_a);

	bridge_set_stp(x->br, false);
	bridge_port_set_flags(x->br, 1, BR_PORT_BPDU_GUARD, 0);
	in(x, 1, f);
	assert_int_equal(f->refs, NPORTS - 1);
	assert_false(bridge_port_bpdu_tripped(x->br, 1));
}

/* ---- the bridge: access guard, the double-tagging hop ---- */

static void access_guard_hop(void **state)
{
	struct tbr *x = *state;
	struct frame *f;

	/* port 1 an access port of VLAN 10; port 2 a trunk of 10 (native) and 20 */
	bridge_vlan_del(x->br, 1, 1);
	bridge_vlan_add(x->br, 1, 10, true, true);
	bridge_vlan_del(x->br, 2, 1);
	bridge_vlan_add(x->br, 2, 10, true, true);
	bridge_vlan_add(x->br, 2, 20, false, false);
	/* the hop without the guard: 10-then-20 leaves the trunk with 20 outermost */
	f = tf_qinq(tpool_frame(&x->pool), bcast, mac_a, ETH_P_8021Q, 10, 20, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, 1);
	assert_int_equal(eth_get_be16(f->data + 12), ETH_P_8021Q);
	assert_int_equal(eth_get_be16(f->data + 14) & VLAN_VID_MASK, 20);
	/* with it, the frame never enters */
	bridge_port_set_flags(x->br, 1, BR_PORT_ACCESS_GUARD, 0);
	f = tf_qinq(tpool_frame(&x->pool), bcast, mac_a, ETH_P_8021Q, 10, 20, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, 0);
	assert_int_equal(drops(x, 1, BR_DROP_ACCESS_TAGGED), 1);
	/* a priority tag with a VLAN behind it is the same hop */
	f = tf_qinq(tpool_frame(&x->pool), bcast, mac_a, ETH_P_8021Q, ttci(3, 0, 0), 20, 0x0800, 46,
		    1);
	in(x, 1, f);
	assert_int_equal(f->refs, 0);
	assert_int_equal(drops(x, 1, BR_DROP_ACCESS_TAGGED), 2);
	/* untagged and priority-tagged frames pass */
	f = tf_eth(tpool_frame(&x->pool), bcast, mac_a, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, 1);
	f = tf_tag(tpool_frame(&x->pool), bcast, mac_a, ETH_P_8021Q, ttci(3, 0, 0), 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, 1);
}

/* ---- the bridge: DHCP and RA guards ---- */

static void dhcp_ra_guard(void **state)
{
	struct tbr *x = *state;
	uint8_t b[128], ra[16] = { 134 };
	struct frame *f;
	uint32_t n;

	bridge_port_set_flags(x->br, 1, BR_PORT_DHCP_GUARD | BR_PORT_RA_GUARD, 0);
	n = ip4_udp(b, 67, 68);
	f = raw(x, bcast, mac_a, b, n);
	in(x, 1, f);
	assert_int_equal(f->refs, 0);
	assert_int_equal(drops(x, 1, BR_DROP_DHCP_SERVER), 1);
	/* the rogue's address is not learned either */
	assert_int_equal(fdb_port_learned(bridge_fdb_const(x->br), 1), 0);
	/* a trusted port (the host's) may answer */
	f = raw(x, bcast, mac_b, b, n);
	in(x, 0, f);
	assert_int_equal(f->refs, NPORTS - 1);
	/* a client's request from the guarded port goes out */
	n = ip4_udp(b, 68, 67);
	f = raw(x, bcast, mac_a, b, n);
	in(x, 1, f);
	assert_int_equal(f->refs, NPORTS - 1);
	n = ip6(b, 58, NULL, 0, ra, sizeof(ra));
	f = raw(x, mcast6, mac_a, b, n);
	in(x, 1, f);
	assert_int_equal(f->refs, 0);
	assert_int_equal(drops(x, 1, BR_DROP_ROUTER_ADV), 1);
	/* a VM that is a router: RA guard off, DHCP guard still on */
	bridge_port_set_flags(x->br, 1, 0, BR_PORT_RA_GUARD);
	f = raw(x, mcast6, mac_a, b, n);
	in(x, 1, f);
	assert_int_equal(f->refs, NPORTS - 1);
}

/* ---- the bridge: storm control ---- */

static void storm_control(void **state)
{
	struct tbr *x = *state;
	unsigned passed = 0;
	struct frame *f;

	assert_int_equal(bridge_port_set_storm(x->br, 1, BR_STORM_BCAST, 10, x->now), 0);
	assert_int_equal(bridge_port_set_storm(x->br, 1, BR_STORM__MAX, 10, x->now), -EINVAL);
	assert_int_equal(bridge_port_set_storm(x->br, 7, BR_STORM_BCAST, 10, x->now), -ENOENT);
	assert_int_equal(bridge_port_storm(x->br, 1, BR_STORM_BCAST), 10);
	for (int i = 0; i < 100; i++) {
		f = tf_eth(tpool_frame(&x->pool), bcast, mac_a, 0x0800, 46, 1);
		in(x, 1, f);
		passed += f->refs != 0;
	}
	assert_int_equal(passed, 10);
	assert_int_equal(drops(x, 1, BR_DROP_STORM_BCAST), 90);
	tpool_free(&x->pool);
	/* multicast and unknown unicast have their own limits, off here */
	f = tf_eth(tpool_frame(&x->pool), mcast, mac_a, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, NPORTS - 1);
	f = tf_eth(tpool_frame(&x->pool), mac_u, mac_a, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, NPORTS - 1);
	/* known unicast is never limited */
	bridge_port_set_storm(x->br, 1, BR_STORM_UNKNOWN, 1, x->now);
	f = tf_eth(tpool_frame(&x->pool), mac_a, mac_b, 0x0800, 46, 1);
	in(x, 2, f);
	for (int i = 0; i < 20; i++) {
		f = tf_eth(tpool_frame(&x->pool), mac_b, mac_a, 0x0800, 46, 1);
		in(x, 1, f);
		assert_int_equal(f->refs, 1);
	}
	/* a second's worth of unknown unicast at rate 1 is one frame */
	f = tf_eth(tpool_frame(&x->pool), mac_u, mac_a, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, NPORTS - 1);
	f = tf_eth(tpool_frame(&x->pool), mac_u, mac_a, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, 0);
	assert_int_equal(drops(x, 1, BR_DROP_STORM_UNKNOWN), 1);
	/* a second later the bucket is full again */
	x->now += SEC;
	f = tf_eth(tpool_frame(&x->pool), bcast, mac_a, 0x0800, 46, 1);
	in(x, 1, f);
	assert_int_equal(f->refs, NPORTS - 1);
}

static void drop_names(void **state)
{
	(void)state;
	for (int d = 0; d < BR_DROP__MAX; d++)
		assert_non_null(bridge_drop_name((enum bridge_drop)d));
	assert_string_equal(bridge_drop_name(BR_DROP_BPDU_GUARD), "bpdu-guard");
	assert_string_equal(bridge_drop_name(BR_DROP_STORM_UNKNOWN), "storm-unknown-unicast");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(classify_dhcp4, setup, teardown),
		cmocka_unit_test_setup_teardown(classify_dhcp6_and_ra, setup, teardown),
		cmocka_unit_test_setup_teardown(classify_ra_hidden, setup, teardown),
		cmocka_unit_test_setup_teardown(stacked_tags, setup, teardown),
		cmocka_unit_test(storm_bucket_rate),
		cmocka_unit_test_setup_teardown(bpdu_guard_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(bpdu_guard_stp_off, setup, teardown),
		cmocka_unit_test_setup_teardown(access_guard_hop, setup, teardown),
		cmocka_unit_test_setup_teardown(dhcp_ra_guard, setup, teardown),
		cmocka_unit_test_setup_teardown(storm_control, setup, teardown),
		cmocka_unit_test(drop_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
