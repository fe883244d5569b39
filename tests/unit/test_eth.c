/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_eth.c - unit tests of eth.h: MAC parsing and printing, address classes, tag push/pop */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "core/eth.h"
#include "helpers.h"

static const uint8_t mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };

static int setup(void **state)
{
	struct tpool *p = calloc(1, sizeof(*p));

	if (!p)
		return -1;
	*state = p;
	return 0;
}

static int teardown(void **state)
{
	struct tpool *p = *state;

	tpool_free(p);
	free(p);
	return 0;
}

/* Rule 1: push uses 4 bytes of headroom, moves the addresses back, leaves the payload in place */
static void rule1_push_tag_in_headroom_payload_stays(void **state)
{
	struct frame *f = tpool_frame(*state);
	uint8_t want[128];
	uint8_t *data0, *payload0;
	uint32_t len0, want_len;

	tf_eth(f, mac_b, mac_a, 0x0800, 46, 1);
	data0 = f->data;
	len0 = f->len;
	payload0 = f->data + 2 * ETH_ALEN; /* EtherType and payload */

	assert_int_equal(eth_push_tag(f, ttci(0, 0, 42)), 0);
	assert_ptr_equal(f->data, data0 - VLAN_HLEN);
	assert_int_equal(f->len, len0 + VLAN_HLEN);
	assert_ptr_equal(f->data + 2 * ETH_ALEN + VLAN_HLEN, payload0);
	assert_int_equal(frame_headroom(f), FRAME_HEADROOM - VLAN_HLEN);

	want_len = tb_tag(want, mac_b, mac_a, ETH_P_8021Q, ttci(0, 0, 42), 0x0800, 46, 1);
	assert_int_equal(f->len, want_len);
	assert_memory_equal(f->data, want, want_len);
	assert_int_equal(eth_outer_type(f), ETH_P_8021Q);
}

/* Rule 1: push keeps PCP and DEI bits of the TCI as given */
static void rule1_push_tag_writes_full_tci(void **state)
{
	struct frame *f = tpool_frame(*state);
	uint8_t want[128];
	uint32_t want_len;

	tf_eth(f, mac_b, mac_a, 0x86dd, 50, 2);
	assert_int_equal(eth_push_tag(f, ttci(7, 1, 4094)), 0);
	want_len = tb_tag(want, mac_b, mac_a, ETH_P_8021Q, ttci(7, 1, 4094), 0x86dd, 50, 2);
	assert_int_equal(f->len, want_len);
	assert_memory_equal(f->data, want, want_len);
}

/* Rule 1: pop moves the addresses forward by 4, the payload stays at the same address */
static void rule1_pop_tag_payload_stays(void **state)
{
	struct frame *f = tpool_frame(*state);
	uint8_t want[128];
	uint8_t *data0, *payload0;
	uint32_t len0, want_len;

	tf_tag(f, mac_b, mac_a, ETH_P_8021Q, ttci(3, 0, 10), 0x0800, 46, 3);
	data0 = f->data;
	len0 = f->len;
	payload0 = f->data + 2 * ETH_ALEN + VLAN_HLEN;

	eth_pop_tag(f);
	assert_ptr_equal(f->data, data0 + VLAN_HLEN);
	assert_int_equal(f->len, len0 - VLAN_HLEN);
	assert_ptr_equal(f->data + 2 * ETH_ALEN, payload0);
	assert_int_equal(frame_headroom(f), FRAME_HEADROOM + VLAN_HLEN);

	want_len = tb_eth(want, mac_b, mac_a, 0x0800, 46, 3);
	assert_int_equal(f->len, want_len);
	assert_memory_equal(f->data, want, want_len);
}

/* Rule 1: push then pop gives back the original bytes at the original address */
static void rule1_push_then_pop_restores_frame(void **state)
{
	struct frame *f = tpool_frame(*state);
	uint8_t want[1600];
	uint8_t *data0;
	uint32_t want_len;

	tf_eth(f, mac_b, mac_a, 0x0800, 1500, 4);
	want_len = tb_eth(want, mac_b, mac_a, 0x0800, 1500, 4);
	data0 = f->data;
	assert_int_equal(eth_push_tag(f, ttci(0, 0, 100)), 0);
	eth_pop_tag(f);
	assert_ptr_equal(f->data, data0);
	assert_int_equal(f->len, want_len);
	assert_memory_equal(f->data, want, want_len);
}

/* Rule 1: under 4 bytes of headroom push fails and changes nothing; exactly 4 is enough */
static void rule1_push_tag_needs_four_bytes_headroom(void **state)
{
	struct frame *f = tpool_frame(*state);
	uint8_t want[128];
	uint32_t want_len;
	unsigned int room;

	for (room = 0; room < VLAN_HLEN; room++) {
		tf_reset(f);
		f->data = f->head + room;
		f->len = tb_eth(f->data, mac_b, mac_a, 0x0800, 46, 5);
		want_len = f->len;
		memcpy(want, f->data, want_len);
		assert_int_equal(eth_push_tag(f, ttci(0, 0, 7)), -1);
		assert_ptr_equal(f->data, f->head + room);
		assert_int_equal(f->len, want_len);
		assert_memory_equal(f->data, want, want_len);
	}

	tf_reset(f);
	f->data = f->head + VLAN_HLEN;
	f->len = tb_eth(f->data, mac_b, mac_a, 0x0800, 46, 5);
	assert_int_equal(eth_push_tag(f, ttci(0, 0, 7)), 0);
	assert_ptr_equal(f->data, f->head);
	want_len = tb_tag(want, mac_b, mac_a, ETH_P_8021Q, 7, 0x0800, 46, 5);
	assert_int_equal(f->len, want_len);
	assert_memory_equal(f->data, want, want_len);
}

/* Rule 1: a minimal 14-byte frame can be tagged and untagged */
static void rule1_push_pop_header_only_frame(void **state)
{
	struct frame *f = tpool_frame(*state);
	uint8_t want[32];
	uint32_t want_len;

	tf_eth(f, mac_b, mac_a, 0x88b5, 0, 0);
	assert_int_equal(f->len, ETH_HLEN);
	assert_int_equal(eth_push_tag(f, ttci(0, 0, 1)), 0);
	want_len = tb_tag(want, mac_b, mac_a, ETH_P_8021Q, 1, 0x88b5, 0, 0);
	assert_int_equal(f->len, ETH_HLEN + VLAN_HLEN);
	assert_memory_equal(f->data, want, want_len);
	eth_pop_tag(f);
	want_len = tb_eth(want, mac_b, mac_a, 0x88b5, 0, 0);
	assert_int_equal(f->len, ETH_HLEN);
	assert_memory_equal(f->data, want, want_len);
}

/* Rule 1: pop removes only the outer tag of a double-tagged frame */
static void rule1_pop_removes_outer_tag_only(void **state)
{
	struct frame *f = tpool_frame(*state);
	uint8_t want[128];
	uint32_t want_len;

	tf_qinq(f, mac_b, mac_a, ETH_P_8021Q, ttci(0, 0, 5), ttci(0, 0, 6), 0x0800, 46, 6);
	eth_pop_tag(f);
	want_len = tb_tag(want, mac_b, mac_a, ETH_P_8021Q, ttci(0, 0, 6), 0x0800, 46, 6);
	assert_int_equal(f->len, want_len);
	assert_memory_equal(f->data, want, want_len);
}

static void eth_address_classes(void **state)
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t mcast6[ETH_ALEN] = { 0x33, 0x33, 0x00, 0x00, 0x00, 0x01 };
	static const uint8_t zero[ETH_ALEN] = { 0 };
	static const uint8_t almost_bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
	static const uint8_t almost_zero[ETH_ALEN] = { 0, 0, 0, 0, 0, 1 };

	(void)state;
	assert_true(eth_is_multicast(bcast));
	assert_true(eth_is_broadcast(bcast));
	assert_false(eth_is_zero(bcast));
	assert_true(eth_is_multicast(mcast));
	assert_true(eth_is_multicast(mcast6));
	assert_false(eth_is_broadcast(mcast));
	assert_false(eth_is_multicast(mac_a));
	assert_false(eth_is_broadcast(mac_a));
	assert_false(eth_is_zero(mac_a));
	assert_true(eth_is_zero(zero));
	assert_false(eth_is_multicast(zero));
	assert_false(eth_is_broadcast(almost_bcast));
	assert_false(eth_is_zero(almost_zero));
}

static void eth_is_link_local_is_01_80_c2_00_00_0x(void **state)
{
	uint8_t mac[ETH_ALEN] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };
	unsigned int i;

	(void)state;
	for (i = 0; i < 256; i++) {
		mac[5] = (uint8_t)i;
		if (eth_is_link_local(mac) != (i <= 0x0f))
			fail_msg("eth_is_link_local wrong for 01:80:c2:00:00:%02x", i);
	}
	mac[5] = 0x0e;
	mac[4] = 0x01;
	assert_false(eth_is_link_local(mac));
	mac[4] = 0;
	mac[3] = 0x01;
	assert_false(eth_is_link_local(mac));
	mac[3] = 0;
	mac[0] = 0x03;
	assert_false(eth_is_link_local(mac));
	mac[0] = 0x01;
	mac[2] = 0xc3;
	assert_false(eth_is_link_local(mac));
}

static void eth_be16_and_outer_type(void **state)
{
	struct frame *f = tpool_frame(*state);
	uint8_t b[2];

	eth_put_be16(b, 0x88a8);
	assert_int_equal(b[0], 0x88);
	assert_int_equal(b[1], 0xa8);
	assert_int_equal(eth_get_be16(b), 0x88a8);

	tf_eth(f, mac_b, mac_a, 0x0806, 28, 0);
	assert_int_equal(eth_outer_type(f), 0x0806);
	tf_tag(f, mac_b, mac_a, ETH_P_8021AD, 5, 0x0800, 46, 0);
	assert_int_equal(eth_outer_type(f), ETH_P_8021AD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rule1_push_tag_in_headroom_payload_stays, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rule1_push_tag_writes_full_tci, setup, teardown),
		cmocka_unit_test_setup_teardown(rule1_pop_tag_payload_stays, setup, teardown),
		cmocka_unit_test_setup_teardown(rule1_push_then_pop_restores_frame, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rule1_push_tag_needs_four_bytes_headroom, setup,
						teardown),
		cmocka_unit_test_setup_teardown(rule1_push_pop_header_only_frame, setup, teardown),
		cmocka_unit_test_setup_teardown(rule1_pop_removes_outer_tag_only, setup, teardown),
		cmocka_unit_test(eth_address_classes),
		cmocka_unit_test(eth_is_link_local_is_01_80_c2_00_00_0x),
		cmocka_unit_test_setup_teardown(eth_be16_and_outer_type, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
