/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_fdb.c - unit tests of fdb.h: keys, learning, ageing, limits, static entries, flush */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/fdb.h"
#include "helpers.h"

#define SEC 1000000000ull
#define T0 (7 * SEC)
#define NEXT_N 300 /* entries of the iteration test */
#define BIG_N 4096 /* entries of the big table test */
#define BIG_NP 16  /* and its ports */

static const uint8_t mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t mac_b[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b };
static const uint8_t mac_c[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0c };
static const uint8_t mac_d[ETH_ALEN] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t mac_e[ETH_ALEN] = { 0x00, 0x16, 0x3e, 0x00, 0x00, 0x01 };

static void get_stats(const struct fdb *fdb, struct fdb_stats *st)
{
	memset(st, 0xee, sizeof(*st));
	fdb_get_stats(fdb, st);
}

static void check_counts(const struct fdb *fdb, uint64_t size, uint64_t n_static,
			 uint64_t n_learned)
{
	struct fdb_stats st;

	get_stats(fdb, &st);
	assert_int_equal(st.size, size);
	assert_int_equal(st.n_static, n_static);
	assert_int_equal(st.n_learned, n_learned);
}

/* find (@vid, @mac) through fdb_next(); return whether found and fill @out */
static bool find_entry(const struct fdb *fdb, const uint8_t *mac, uint16_t vid,
		       struct fdb_entry *out)
{
	struct fdb_entry e = { 0 };
	size_t cursor = 0;
	unsigned int guard = 0;

	while (fdb_next(fdb, &cursor, &e)) {
		assert_true(++guard < 10000000);
		if (e.vid == vid && !memcmp(e.mac, mac, ETH_ALEN)) {
			*out = e;
			return true;
		}
	}
	return false;
}

static void rule5_new_rejects_bad_arguments(void **state)
{
	struct fdb *fdb;

	(void)state;
	assert_null(fdb_new(0, 16, 4, FDB_AGEING_DEFAULT_NS));
	assert_null(fdb_new(1048577, 16, 4, FDB_AGEING_DEFAULT_NS));
	assert_null(fdb_new(16, 65537, 4, FDB_AGEING_DEFAULT_NS));

	fdb = fdb_new(1, 0, 1, 0);
	assert_non_null(fdb);
	assert_true(fdb_memory(fdb) > 0);
	check_counts(fdb, 0, 0, 0);
	fdb_free(fdb);
	fdb_free(NULL);
}

static void rule5_key_is_vid_and_mac(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, FDB_AGEING_DEFAULT_NS);
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_learn(fdb, mac_a, 10, 1, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_a, 20, 2, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_a, 0, 3, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_lookup(fdb, mac_a, 10, T0), 1);
	assert_int_equal(fdb_lookup(fdb, mac_a, 20, T0), 2);
	assert_int_equal(fdb_lookup(fdb, mac_a, 0, T0), 3);
	assert_int_equal(fdb_lookup(fdb, mac_a, 30, T0), FDB_PORT_NONE);
	assert_int_equal(fdb_lookup(fdb, mac_b, 10, T0), FDB_PORT_NONE);
	assert_int_equal(fdb_port_learned(fdb, 1), 1);
	assert_int_equal(fdb_port_learned(fdb, 2), 1);
	assert_int_equal(fdb_port_learned(fdb, 3), 1);
	assert_int_equal(fdb_port_learned(fdb, 0), 0);

	get_stats(fdb, &st);
	assert_int_equal(st.size, 3);
	assert_int_equal(st.n_learned, 3);
	assert_int_equal(st.n_static, 0);
	assert_int_equal(st.learned, 3);
	assert_int_equal(st.moved, 0);
	fdb_free(fdb);
}

static void rule5_learn_new_refresh_move(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);
	struct fdb_entry e = { 0 };
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0), FDB_LEARN_NEW);
	assert_true(find_entry(fdb, mac_a, 1, &e));
	assert_int_equal(e.port, 0);
	assert_false(e.is_static);
	assert_int_equal(e.seen, T0);

	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0 + 5 * SEC), FDB_LEARN_REFRESHED);
	assert_true(find_entry(fdb, mac_a, 1, &e));
	assert_int_equal(e.seen, T0 + 5 * SEC);
	/* refreshed: still valid 9 s after the refresh, 14 s after learning */
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 14 * SEC), 0);

	/* a moving station is re-learned on its new port */
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 2, T0 + 6 * SEC), FDB_LEARN_MOVED);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 6 * SEC), 2);
	assert_true(find_entry(fdb, mac_a, 1, &e));
	assert_int_equal(e.port, 2);
	assert_int_equal(e.seen, T0 + 6 * SEC);
	assert_int_equal(fdb_port_learned(fdb, 0), 0);
	assert_int_equal(fdb_port_learned(fdb, 2), 1);

	get_stats(fdb, &st);
	assert_int_equal(st.size, 1);
	assert_int_equal(st.n_learned, 1);
	assert_int_equal(st.learned, 1);
	assert_int_equal(st.moved, 1);
	fdb_free(fdb);
}

/* valid while now - seen < ageing */
static void rule5_dynamic_entry_ages_at_ageing_time(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_ageing(fdb), 10 * SEC);
	fdb_learn(fdb, mac_a, 1, 3, T0);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0), 3);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 10 * SEC - 1), 3);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 10 * SEC), FDB_PORT_NONE);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 1000 * SEC), FDB_PORT_NONE);
	/* invisible, but still in the table until aged */
	check_counts(fdb, 1, 0, 1);
	fdb_free(fdb);
}

static void rule5_default_ageing_300s_and_settable(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, FDB_AGEING_DEFAULT_NS);

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(FDB_AGEING_DEFAULT_NS, 300 * SEC);
	assert_int_equal(fdb_ageing(fdb), 300 * SEC);
	fdb_learn(fdb, mac_a, 1, 1, T0);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 299 * SEC), 1);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 300 * SEC), FDB_PORT_NONE);

	/* a new ageing time applies to existing entries */
	fdb_set_ageing(fdb, 50 * SEC);
	assert_int_equal(fdb_ageing(fdb), 50 * SEC);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 49 * SEC), 1);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + 100 * SEC), FDB_PORT_NONE);
	assert_int_equal(fdb_age(fdb, T0 + 49 * SEC), 0);
	assert_int_equal(fdb_age(fdb, T0 + 50 * SEC), 1);
	check_counts(fdb, 0, 0, 0);
	fdb_free(fdb);
}

static void rule5_ageing_zero_expires_at_once(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 0);

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 1, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0), FDB_PORT_NONE);
	assert_int_equal(fdb_age(fdb, T0), 1);
	check_counts(fdb, 0, 0, 0);
	/* static entries do not age even then */
	assert_int_equal(fdb_add_static(fdb, mac_b, 1, 2, false, T0), 0);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0 + SEC), 2);
	assert_int_equal(fdb_age(fdb, T0 + SEC), 0);
	fdb_free(fdb);
}

static void rule5_expired_entry_invisible_then_refreshed_by_learning(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	/* time 0 is a time like any other */
	assert_int_equal(fdb_learn(fdb, mac_a, 5, 1, 0), FDB_LEARN_NEW);
	assert_int_equal(fdb_lookup(fdb, mac_a, 5, 0), 1);
	assert_int_equal(fdb_lookup(fdb, mac_a, 5, 10 * SEC), FDB_PORT_NONE);
	assert_int_equal(fdb_learn(fdb, mac_a, 5, 1, 15 * SEC), FDB_LEARN_REFRESHED);
	assert_int_equal(fdb_lookup(fdb, mac_a, 5, 15 * SEC), 1);
	assert_int_equal(fdb_lookup(fdb, mac_a, 5, 24 * SEC), 1);
	get_stats(fdb, &st);
	assert_int_equal(st.size, 1);
	assert_int_equal(st.learned, 1);
	assert_int_equal(st.aged, 0);

	/* an expired entry re-learned on another port moves */
	assert_int_equal(fdb_learn(fdb, mac_a, 5, 2, 40 * SEC), FDB_LEARN_MOVED);
	assert_int_equal(fdb_lookup(fdb, mac_a, 5, 40 * SEC), 2);
	assert_int_equal(fdb_port_learned(fdb, 1), 0);
	assert_int_equal(fdb_port_learned(fdb, 2), 1);
	fdb_free(fdb);
}

/* until fdb_age() removes it, an expired entry counts toward the limits: it is evicted */
static void rule5_expired_entry_counts_toward_limit_until_aged(void **state)
{
	struct fdb *fdb = fdb_new(1, 16, 4, 10 * SEC);
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 1, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 1, T0 + 20 * SEC), FDB_LEARN_EVICTED);
	assert_int_equal(fdb_age(fdb, T0 + 20 * SEC), 0);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0 + 20 * SEC), 1);
	get_stats(fdb, &st);
	assert_int_equal(st.evicted_bridge_limit, 1);
	assert_int_equal(st.aged, 0);
	assert_int_equal(st.learned, 2);
	assert_int_equal(st.n_learned, 1);
	fdb_free(fdb);
}

static void rule5_age_removes_expired_dynamic_only_and_counts(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_add_static(fdb, mac_c, 1, 3, false, 0), 0);
	fdb_learn(fdb, mac_a, 1, 1, 0);
	fdb_learn(fdb, mac_b, 1, 2, 5 * SEC);
	assert_int_equal(fdb_age(fdb, 9 * SEC), 0);
	check_counts(fdb, 3, 1, 2);
	assert_int_equal(fdb_age(fdb, 10 * SEC), 1);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, 10 * SEC), 2);
	check_counts(fdb, 2, 1, 1);
	assert_int_equal(fdb_port_learned(fdb, 1), 0);
	assert_int_equal(fdb_age(fdb, 15 * SEC), 1);
	assert_int_equal(fdb_age(fdb, 1000000 * SEC), 0);
	check_counts(fdb, 1, 1, 0);
	assert_int_equal(fdb_lookup(fdb, mac_c, 1, 1000000 * SEC), 3);
	get_stats(fdb, &st);
	assert_int_equal(st.aged, 2);
	assert_int_equal(st.learned, 2);
	fdb_free(fdb);
}

static void rule5_static_never_ages_never_moved_by_learning(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);
	struct fdb_entry e = { 0 };
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_add_static(fdb, mac_a, 7, 1, false, T0), 0);
	assert_true(find_entry(fdb, mac_a, 7, &e));
	assert_true(e.is_static);
	assert_int_equal(e.port, 1);
	assert_int_equal(e.seen, T0);

	assert_int_equal(fdb_learn(fdb, mac_a, 7, 2, T0 + SEC), FDB_LEARN_STATIC);
	assert_int_equal(fdb_learn(fdb, mac_a, 7, 1, T0 + SEC), FDB_LEARN_STATIC);
	assert_int_equal(fdb_lookup(fdb, mac_a, 7, T0 + 1000000 * SEC), 1);
	assert_int_equal(fdb_age(fdb, T0 + 1000000 * SEC), 0);
	assert_true(find_entry(fdb, mac_a, 7, &e));
	assert_true(e.is_static);
	assert_int_equal(e.port, 1);

	get_stats(fdb, &st);
	assert_int_equal(st.size, 1);
	assert_int_equal(st.n_static, 1);
	assert_int_equal(st.n_learned, 0);
	assert_int_equal(st.learned, 0);
	assert_int_equal(st.moved, 0);
	assert_int_equal(st.aged, 0);
	assert_int_equal(fdb_port_learned(fdb, 1), 0);
	assert_int_equal(fdb_port_learned(fdb, 2), 0);
	fdb_free(fdb);
}

/* at its limit a port's least recently learned entry makes room; a refreshed one is spared */
static void rule5_port_limit_evicts_the_ports_oldest(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_set_port_limit(fdb, 0, 2), 0);
	assert_int_equal(fdb_learn(fdb, mac_e, 1, 1, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_c, 1, 0, T0), FDB_LEARN_EVICTED);
	assert_int_equal(fdb_port_learned(fdb, 0), 2);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0), FDB_PORT_NONE);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0), 0);
	assert_int_equal(fdb_lookup(fdb, mac_c, 1, T0), 0);
	/* refreshing at the limit evicts nothing, and spares the entry once */
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 0, T0 + SEC), FDB_LEARN_REFRESHED);
	assert_int_equal(fdb_learn(fdb, mac_d, 1, 0, T0 + SEC), FDB_LEARN_EVICTED);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0 + SEC), 0);
	assert_int_equal(fdb_lookup(fdb, mac_c, 1, T0 + SEC), FDB_PORT_NONE);
	assert_int_equal(fdb_lookup(fdb, mac_d, 1, T0 + SEC), 0);
	/* the other port lost nothing */
	assert_int_equal(fdb_lookup(fdb, mac_e, 1, T0 + SEC), 1);
	assert_int_equal(fdb_port_evicted(fdb, 0), 2);
	assert_int_equal(fdb_port_evicted(fdb, 1), 0);

	get_stats(fdb, &st);
	assert_int_equal(st.evicted_port_limit, 2);
	assert_int_equal(st.evicted_bridge_limit, 0);
	assert_int_equal(st.learned, 5);
	assert_int_equal(st.n_learned, 3);

	/* removing the limit */
	assert_int_equal(fdb_set_port_limit(fdb, 0, FDB_NO_LIMIT), 0);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_port_learned(fdb, 0), 3);
	fdb_free(fdb);
}

static void rule5_move_to_full_port_evicts_its_oldest(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_set_port_limit(fdb, 0, 1), 0);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 1, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 0, T0 + SEC), FDB_LEARN_EVICTED);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0 + SEC), 0);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + SEC), FDB_PORT_NONE);
	assert_int_equal(fdb_port_learned(fdb, 0), 1);
	assert_int_equal(fdb_port_learned(fdb, 1), 0);
	get_stats(fdb, &st);
	assert_int_equal(st.evicted_port_limit, 1);
	assert_int_equal(st.moved, 1);

	/* a move away from the full port frees room on it */
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 2, T0 + 2 * SEC), FDB_LEARN_MOVED);
	assert_int_equal(fdb_port_learned(fdb, 0), 0);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0 + 3 * SEC), FDB_LEARN_NEW);
	fdb_free(fdb);
}

/* at the bridge's limit the port holding the most learned entries gives one up */
static void rule5_bridge_limit_evicts_from_the_busiest_port(void **state)
{
	struct fdb *fdb = fdb_new(3, 16, 4, 10 * SEC);
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_add_static(fdb, mac_e, 1, 0, false, T0), 0);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_b, 2, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_c, 1, 1, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_d, 1, 2, T0), FDB_LEARN_EVICTED);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0), FDB_PORT_NONE);
	assert_int_equal(fdb_lookup(fdb, mac_b, 2, T0), 0);
	assert_int_equal(fdb_lookup(fdb, mac_c, 1, T0), 1);
	assert_int_equal(fdb_lookup(fdb, mac_d, 1, T0), 2);
	assert_int_equal(fdb_port_evicted(fdb, 0), 1);
	/* refresh and move need no new entry */
	assert_int_equal(fdb_learn(fdb, mac_c, 1, 1, T0 + SEC), FDB_LEARN_REFRESHED);
	assert_int_equal(fdb_learn(fdb, mac_c, 1, 3, T0 + SEC), FDB_LEARN_MOVED);
	assert_int_equal(fdb_lookup(fdb, mac_c, 1, T0 + SEC), 3);

	get_stats(fdb, &st);
	assert_int_equal(st.evicted_bridge_limit, 1);
	assert_int_equal(st.evicted_port_limit, 0);
	assert_int_equal(st.n_learned, 3);
	assert_int_equal(st.learned, 4);
	assert_int_equal(st.moved, 1);
	/* the static entry was never a candidate */
	assert_int_equal(fdb_lookup(fdb, mac_e, 1, T0 + SEC), 0);
	assert_int_equal(st.n_static, 1);
	fdb_free(fdb);
}

/* a port flooding source addresses churns its own entries, not an honest port's */
static void rule5_flood_evicts_the_flooder_not_the_honest(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);
	uint8_t mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0 };
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	for (unsigned i = 0; i < 10; i++) {
		mac[5] = (uint8_t)i;
		assert_int_equal(fdb_learn(fdb, mac, 1, 0, T0), FDB_LEARN_NEW);
	}
	mac[4] = 1;
	for (unsigned i = 0; i < 100000; i++) {
		mac[3] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		mac[2] = (uint8_t)(i >> 16);
		assert_int_not_equal(fdb_learn(fdb, mac, 1, 1, T0 + i), FDB_LEARN_STATIC);
	}
	mac[2] = mac[3] = mac[4] = 0;
	for (unsigned i = 0; i < 10; i++) {
		mac[5] = (uint8_t)i;
		assert_int_equal(fdb_lookup(fdb, mac, 1, T0 + SEC), 0);
	}
	assert_int_equal(fdb_port_learned(fdb, 0), 10);
	assert_int_equal(fdb_port_learned(fdb, 1), 54);
	assert_int_equal(fdb_port_evicted(fdb, 0), 0);
	assert_int_equal(fdb_port_evicted(fdb, 1), 100000 - 54);
	/* a newcomer on another port is learned, at the flooder's expense */
	mac[0] = 0x06;
	assert_int_equal(fdb_learn(fdb, mac, 1, 2, T0 + SEC), FDB_LEARN_EVICTED);
	assert_int_equal(fdb_lookup(fdb, mac, 1, T0 + SEC), 2);
	assert_int_equal(fdb_port_learned(fdb, 1), 53);
	get_stats(fdb, &st);
	assert_int_equal(st.n_learned, 64);
	fdb_free(fdb);
}

static void rule5_lowered_port_limit_keeps_existing_entries(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);

	(void)state;
	assert_non_null(fdb);
	fdb_learn(fdb, mac_a, 1, 2, T0);
	fdb_learn(fdb, mac_b, 1, 2, T0);
	fdb_learn(fdb, mac_c, 1, 2, T0);
	assert_int_equal(fdb_set_port_limit(fdb, 2, 1), 0);
	assert_int_equal(fdb_port_learned(fdb, 2), 3);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0), 2);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0), 2);
	assert_int_equal(fdb_lookup(fdb, mac_c, 1, T0), 2);
	/* over the limit still: one goes for each newcomer */
	assert_int_equal(fdb_learn(fdb, mac_d, 1, 2, T0), FDB_LEARN_EVICTED);
	assert_int_equal(fdb_port_learned(fdb, 2), 3);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0), FDB_PORT_NONE);
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 2, T0 + SEC), FDB_LEARN_REFRESHED);
	assert_int_equal(fdb_set_port_limit(fdb, 4, 1), -EINVAL);
	assert_int_equal(fdb_set_port_limit(fdb, FDB_PORT_NONE, 1), -EINVAL);
	fdb_free(fdb);
}

static void rule5_static_entries_not_counted_in_learned_limits(void **state)
{
	struct fdb *fdb = fdb_new(1, 16, 4, 10 * SEC);
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_set_port_limit(fdb, 0, 1), 0);
	assert_int_equal(fdb_add_static(fdb, mac_c, 1, 0, false, T0), 0);
	assert_int_equal(fdb_add_static(fdb, mac_d, 1, 0, false, T0), 0);
	assert_int_equal(fdb_port_learned(fdb, 0), 0);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 1, T0), FDB_LEARN_EVICTED);
	get_stats(fdb, &st);
	assert_int_equal(st.evicted_bridge_limit, 1);
	assert_int_equal(st.size, 3);
	assert_int_equal(st.n_static, 2);
	assert_int_equal(st.n_learned, 1);

	/* a dynamic entry made static frees its learned slot */
	assert_int_equal(fdb_add_static(fdb, mac_b, 1, 1, false, T0), 0);
	assert_int_equal(fdb_port_learned(fdb, 1), 0);
	assert_int_equal(fdb_learn(fdb, mac_a, 1, 0, T0), FDB_LEARN_NEW);
	check_counts(fdb, 4, 3, 1);
	fdb_free(fdb);
}

static void rule5_add_static_errors(void **state)
{
	static const uint8_t bcast[ETH_ALEN] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t mcast[ETH_ALEN] = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x01 };
	static const uint8_t zero[ETH_ALEN] = { 0 };
	struct fdb *fdb = fdb_new(64, 2, 4, 10 * SEC);
	struct fdb *none;

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_add_static(fdb, mcast, 1, 0, false, T0), -EINVAL);
	assert_int_equal(fdb_add_static(fdb, bcast, 1, 0, true, T0), -EINVAL);
	assert_int_equal(fdb_add_static(fdb, zero, 1, 0, false, T0), -EINVAL);
	assert_int_equal(fdb_add_static(fdb, mac_a, 4095, 0, false, T0), -EINVAL);
	assert_int_equal(fdb_add_static(fdb, mac_a, 4096, 0, false, T0), -EINVAL);
	assert_int_equal(fdb_add_static(fdb, mac_a, 1, 4, false, T0), -EINVAL);
	check_counts(fdb, 0, 0, 0);

	/* VID 0 (no filtering) and 4094 are fine */
	assert_int_equal(fdb_add_static(fdb, mac_a, 0, 3, false, T0), 0);
	assert_int_equal(fdb_add_static(fdb, mac_a, 4094, 3, false, T0), 0);
	assert_int_equal(fdb_lookup(fdb, mac_a, 0, T0), 3);
	assert_int_equal(fdb_lookup(fdb, mac_a, 4094, T0), 3);

	assert_int_equal(fdb_add_static(fdb, mac_a, 0, 3, false, T0), -EEXIST);
	assert_int_equal(fdb_add_static(fdb, mac_a, 0, 2, false, T0), -EEXIST);
	assert_int_equal(fdb_lookup(fdb, mac_a, 0, T0), 3);

	/* at the static limit: a new one is refused, a replace is not */
	assert_int_equal(fdb_add_static(fdb, mac_b, 1, 1, false, T0), -ENOSPC);
	assert_int_equal(fdb_add_static(fdb, mac_b, 1, 1, true, T0), -ENOSPC);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0), FDB_PORT_NONE);
	assert_int_equal(fdb_add_static(fdb, mac_a, 0, 1, true, T0), 0);
	assert_int_equal(fdb_lookup(fdb, mac_a, 0, T0), 1);
	check_counts(fdb, 2, 2, 0);
	fdb_free(fdb);

	none = fdb_new(64, 0, 4, 10 * SEC);
	assert_non_null(none);
	assert_int_equal(fdb_add_static(none, mac_a, 1, 1, false, T0), -ENOSPC);
	check_counts(none, 0, 0, 0);
	fdb_free(none);
}

static void rule5_add_static_replace(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);
	struct fdb_entry e = { 0 };

	(void)state;
	assert_non_null(fdb);
	/* replace of a static entry moves it */
	assert_int_equal(fdb_add_static(fdb, mac_a, 1, 1, false, T0), 0);
	assert_int_equal(fdb_add_static(fdb, mac_a, 1, 2, true, T0 + SEC), 0);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0 + SEC), 2);
	assert_true(find_entry(fdb, mac_a, 1, &e));
	assert_true(e.is_static);
	assert_int_equal(e.port, 2);

	/* replace of a dynamic entry moves it and makes it static */
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 1, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_add_static(fdb, mac_b, 1, 3, true, T0 + SEC), 0);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0 + 1000 * SEC), 3);
	assert_true(find_entry(fdb, mac_b, 1, &e));
	assert_true(e.is_static);
	assert_int_equal(e.port, 3);
	assert_int_equal(fdb_port_learned(fdb, 1), 0);
	assert_int_equal(fdb_learn(fdb, mac_b, 1, 1, T0 + 2 * SEC), FDB_LEARN_STATIC);

	/* replace with no entry simply adds */
	assert_int_equal(fdb_add_static(fdb, mac_c, 1, 0, true, T0), 0);
	assert_int_equal(fdb_lookup(fdb, mac_c, 1, T0), 0);

	/* add without replace over a dynamic entry makes it static */
	assert_int_equal(fdb_learn(fdb, mac_d, 1, 2, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_add_static(fdb, mac_d, 1, 2, false, T0 + SEC), 0);
	assert_true(find_entry(fdb, mac_d, 1, &e));
	assert_true(e.is_static);
	assert_int_equal(e.port, 2);
	assert_int_equal(fdb_age(fdb, T0 + 1000 * SEC), 0);

	check_counts(fdb, 4, 4, 0);
	fdb_free(fdb);
}

static void rule5_del_static_and_dynamic(void **state)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);

	(void)state;
	assert_non_null(fdb);
	fdb_learn(fdb, mac_a, 1, 1, T0);
	assert_int_equal(fdb_add_static(fdb, mac_b, 1, 2, false, T0), 0);
	assert_int_equal(fdb_del(fdb, mac_a, 2), -ENOENT);
	assert_int_equal(fdb_del(fdb, mac_c, 1), -ENOENT);
	assert_int_equal(fdb_del(fdb, mac_a, 1), 0);
	assert_int_equal(fdb_del(fdb, mac_a, 1), -ENOENT);
	assert_int_equal(fdb_lookup(fdb, mac_a, 1, T0), FDB_PORT_NONE);
	assert_int_equal(fdb_port_learned(fdb, 1), 0);
	check_counts(fdb, 1, 1, 0);
	assert_int_equal(fdb_del(fdb, mac_b, 1), 0);
	assert_int_equal(fdb_lookup(fdb, mac_b, 1, T0), FDB_PORT_NONE);
	check_counts(fdb, 0, 0, 0);
	/* room for a static entry again */
	assert_int_equal(fdb_add_static(fdb, mac_b, 1, 2, false, T0), 0);
	fdb_free(fdb);
}

/*
 * Flush fixture:
 *   a vid 10 port 0 dynamic   b vid 10 port 1 dynamic   c vid 20 port 0 dynamic
 *   d vid 20 port 1 static    e vid 10 port 0 static
 */
static struct fdb *flush_table(void)
{
	struct fdb *fdb = fdb_new(64, 16, 4, 10 * SEC);

	assert_non_null(fdb);
	assert_int_equal(fdb_learn(fdb, mac_a, 10, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_b, 10, 1, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_learn(fdb, mac_c, 20, 0, T0), FDB_LEARN_NEW);
	assert_int_equal(fdb_add_static(fdb, mac_d, 20, 1, false, T0), 0);
	assert_int_equal(fdb_add_static(fdb, mac_e, 10, 0, false, T0), 0);
	return fdb;
}

/* which of a..e remain, as a bit mask a=1, b=2, c=4, d=8, e=16 */
static unsigned int flush_left(const struct fdb *fdb)
{
	unsigned int m = 0;

	m |= (fdb_lookup(fdb, mac_a, 10, T0) == 0) << 0;
	m |= (fdb_lookup(fdb, mac_b, 10, T0) == 1) << 1;
	m |= (fdb_lookup(fdb, mac_c, 20, T0) == 0) << 2;
	m |= (fdb_lookup(fdb, mac_d, 20, T0) == 1) << 3;
	m |= (fdb_lookup(fdb, mac_e, 10, T0) == 0) << 4;
	return m;
}

static void check_flush(uint16_t port, uint16_t vid, bool with_static, size_t n_deleted,
			unsigned int left)
{
	struct fdb *fdb = flush_table();
	unsigned int nl = !!(left & 1) + !!(left & 2) + !!(left & 4);
	unsigned int ns = !!(left & 8) + !!(left & 16);

	assert_int_equal(fdb_flush(fdb, port, vid, with_static), n_deleted);
	if (flush_left(fdb) != left)
		fail_msg("flush port %u vid %u static %d: left %#x, expected %#x", port, vid,
			 with_static, flush_left(fdb), left);
	check_counts(fdb, nl + ns, ns, nl);
	assert_int_equal(fdb_port_learned(fdb, 0), !!(left & 1) + !!(left & 4));
	assert_int_equal(fdb_port_learned(fdb, 1), !!(left & 2));
	fdb_free(fdb);
}

static void rule5_flush_by_port(void **state)
{
	(void)state;
	check_flush(0, FDB_FLUSH_ANY_VID, false, 2, 0x1a);
	check_flush(0, FDB_FLUSH_ANY_VID, true, 3, 0x0a);
	check_flush(1, FDB_FLUSH_ANY_VID, false, 1, 0x1d);
	check_flush(1, FDB_FLUSH_ANY_VID, true, 2, 0x15);
	check_flush(3, FDB_FLUSH_ANY_VID, true, 0, 0x1f);
}

static void rule5_flush_by_vlan(void **state)
{
	(void)state;
	check_flush(FDB_FLUSH_ANY_PORT, 10, false, 2, 0x1c);
	check_flush(FDB_FLUSH_ANY_PORT, 10, true, 3, 0x0c);
	check_flush(FDB_FLUSH_ANY_PORT, 20, true, 2, 0x13);
	check_flush(FDB_FLUSH_ANY_PORT, 30, true, 0, 0x1f);
	/* port and VLAN together */
	check_flush(0, 10, false, 1, 0x1e);
	check_flush(0, 10, true, 2, 0x0e);
	check_flush(1, 20, true, 1, 0x17);
}

static void rule5_flush_all(void **state)
{
	(void)state;
	check_flush(FDB_FLUSH_ANY_PORT, FDB_FLUSH_ANY_VID, false, 3, 0x18);
	check_flush(FDB_FLUSH_ANY_PORT, FDB_FLUSH_ANY_VID, true, 5, 0x00);
}

static void rule5_next_reads_every_entry_once(void **state)
{
	struct fdb *fdb = fdb_new(NEXT_N, 64, 8, 10 * SEC);
	unsigned char seen[NEXT_N];
	struct fdb_entry e = { 0 };
	size_t cursor = 0;
	unsigned int i, n = 0;
	uint8_t mac[ETH_ALEN];

	(void)state;
	assert_non_null(fdb);
	assert_false(fdb_next(fdb, &cursor, &e));

	for (i = 0; i < NEXT_N; i++) {
		tmac(mac, 0x1000 + i);
		if (i % 10 == 0)
			assert_int_equal(fdb_add_static(fdb, mac, (uint16_t)(i % 7), i % 8, false,
							T0 + i),
					 0);
		else
			assert_int_equal(fdb_learn(fdb, mac, (uint16_t)(i % 7), i % 8, T0 + i),
					 FDB_LEARN_NEW);
	}
	memset(seen, 0, sizeof(seen));
	cursor = 0;
	while (fdb_next(fdb, &cursor, &e)) {
		unsigned int id = (unsigned int)e.mac[4] << 8 | e.mac[5];

		assert_true(++n <= NEXT_N);
		tmac(mac, id);
		assert_memory_equal(e.mac, mac, ETH_ALEN);
		assert_in_range(id, 0x1000, 0x1000 + NEXT_N - 1);
		i = id - 0x1000;
		assert_int_equal(seen[i], 0);
		seen[i] = 1;
		assert_int_equal(e.vid, i % 7);
		assert_int_equal(e.port, i % 8);
		assert_int_equal(e.is_static, i % 10 == 0);
		assert_int_equal(e.seen, T0 + i);
	}
	assert_int_equal(n, NEXT_N);
	assert_false(fdb_next(fdb, &cursor, &e));
	fdb_free(fdb);
}

/* the MAC of entry @i of the big table: a scattered but collision-free pattern */
static void big_mac(uint8_t mac[ETH_ALEN], unsigned int i)
{
	tmac(mac, i * 2654435761u);
}

/* many entries: lookups stay right through deletions (run shifting) and refills */
static void rule5_many_entries_survive_deletes_and_flushes(void **state)
{
	struct fdb *fdb = fdb_new(BIG_N, 16, BIG_NP, 100 * SEC);
	uint8_t mac[ETH_ALEN];
	unsigned int i, per_port[BIG_NP];
	size_t n_vid2 = 0, left = 0;
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	for (i = 0; i < BIG_N; i++) {
		big_mac(mac, i);
		assert_int_equal(fdb_learn(fdb, mac, (uint16_t)(1 + i % 5), i % BIG_NP, T0),
				 FDB_LEARN_NEW);
	}
	for (i = 0; i < BIG_N; i++) {
		big_mac(mac, i);
		assert_int_equal(fdb_lookup(fdb, mac, (uint16_t)(1 + i % 5), T0), i % BIG_NP);
		assert_int_equal(fdb_lookup(fdb, mac, (uint16_t)(1 + (i + 1) % 5), T0),
				 FDB_PORT_NONE);
	}
	for (i = 0; i < BIG_N; i += 3) {
		big_mac(mac, i);
		assert_int_equal(fdb_del(fdb, mac, (uint16_t)(1 + i % 5)), 0);
	}
	for (i = 0; i < BIG_N; i++) {
		big_mac(mac, i);
		assert_int_equal(fdb_lookup(fdb, mac, (uint16_t)(1 + i % 5), T0),
				 i % 3 ? i % BIG_NP : FDB_PORT_NONE);
	}
	for (i = 0; i < BIG_N; i += 3) {
		big_mac(mac, i);
		assert_int_equal(fdb_learn(fdb, mac, (uint16_t)(1 + i % 5), i % BIG_NP, T0 + SEC),
				 FDB_LEARN_NEW);
	}

	memset(per_port, 0, sizeof(per_port));
	for (i = 0; i < BIG_N; i++) {
		if (i % BIG_NP == 5)
			continue;
		if (i % 5 == 1) {
			n_vid2++;
			continue;
		}
		per_port[i % BIG_NP]++;
		left++;
	}
	assert_int_equal(fdb_flush(fdb, 5, FDB_FLUSH_ANY_VID, false), BIG_N / BIG_NP);
	assert_int_equal(fdb_flush(fdb, FDB_FLUSH_ANY_PORT, 2, false), n_vid2);
	for (i = 0; i < BIG_N; i++) {
		bool gone = i % BIG_NP == 5 || i % 5 == 1;

		big_mac(mac, i);
		assert_int_equal(fdb_lookup(fdb, mac, (uint16_t)(1 + i % 5), T0 + SEC),
				 gone ? FDB_PORT_NONE : i % BIG_NP);
	}
	for (i = 0; i < BIG_NP; i++)
		assert_int_equal(fdb_port_learned(fdb, (uint16_t)i), per_port[i]);
	get_stats(fdb, &st);
	assert_int_equal(st.n_learned, left);
	assert_int_equal(st.size, left);
	/* entries learned at T0 expire at T0 + 100 s, those refreshed at T0 + 1 s a second later */
	assert_int_equal(fdb_age(fdb, T0 + 100 * SEC) + fdb_age(fdb, T0 + 101 * SEC), left);
	check_counts(fdb, 0, 0, 0);
	fdb_free(fdb);
}

/* the SipHash written out here gives the paper's SipHash-2-4 answer for 8 bytes */
static void rule5_siphash_matches_the_reference_vector(void **state)
{
	const struct siphash_key k = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };

	(void)state;
	assert_true(siphash_u64(&k, 0x0706050403020100ull, 2, 4) == 0x93f5f5799a932462ull);
}

/* the pair computes each of its two hashes as the single one does, the reference vector too */
static void rule5_paired_siphash_is_two_single_ones(void **state)
{
	const struct siphash_key k = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };
	uint64_t m = 0x0706050403020100ull, h[2];

	(void)state;
	siphash_u64x2(&k, m, ~m, 2, 4, h);
	assert_true(h[0] == 0x93f5f5799a932462ull);
	assert_true(h[1] == siphash_u64(&k, ~m, 2, 4));
	for (uint64_t i = 1; i < 1000; i++) {
		siphash_u64x2(&k, i * 0x9e3779b97f4a7c15ull, i, 1, 3, h);
		assert_true(h[0] == siphash_u64(&k, i * 0x9e3779b97f4a7c15ull, 1, 3));
		assert_true(h[1] == siphash_u64(&k, i, 1, 3));
	}
}

/* a frame's two probes find what fdb_lookup() finds and learn what fdb_learn() learns */
static void rule5_probes_learn_and_look_up_as_the_plain_calls(void **state)
{
	const struct siphash_key k = { 0x0123456789abcdefull, 0xfedcba9876543210ull };
	struct fdb *fdb = fdb_new(1024, 16, 4, 10 * SEC);
	uint8_t a[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 1 }, b[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 2 };
	struct fdb_probe pr[2];

	(void)state;
	assert_non_null(fdb);
	assert_int_equal(fdb_set_hash_key(fdb, &k), 0);
	for (uint16_t vid = 1; vid <= 300; vid++) {
		a[4] = b[4] = (uint8_t)vid;
		fdb_probe_pair(fdb, a, b, vid, pr);
		assert_int_equal(fdb_lookup_probe(fdb, &pr[1], T0), FDB_PORT_NONE);
		assert_int_equal(fdb_learn_probe(fdb, &pr[0], vid % 4, T0), FDB_LEARN_NEW);
		assert_int_equal(fdb_learn(fdb, b, vid, (vid + 1) % 4, T0), FDB_LEARN_NEW);
		assert_int_equal(fdb_lookup(fdb, a, vid, T0), vid % 4);
		assert_int_equal(fdb_lookup_probe(fdb, &pr[1], T0), (vid + 1) % 4);
		assert_int_equal(fdb_learn_probe(fdb, &pr[1], (vid + 1) % 4, T0 + SEC),
				 FDB_LEARN_REFRESHED);
	}
	assert_int_equal(fdb_lookup(fdb, a, 1, T0), FDB_PORT_NONE); /* a[4] moved on */
	fdb_free(fdb);
}

#define COLL_N 1500

/*
 * MACs an attacker would pick against the old public hash (the key times a
 * fixed odd constant, top bits kept): all of them have one home slot there,
 * so they made one run of COLL_N slots. Under the keyed hash they spread.
 */
static void rule5_keyed_hash_spreads_chosen_macs(void **state)
{
	const struct siphash_key k1 = { 0x0123456789abcdefull, 0xfedcba9876543210ull };
	const struct siphash_key k2 = { 1, 2 };
	struct fdb *a = fdb_new(2048, 16, 4, 10 * SEC), *b = fdb_new(2048, 16, 4, 10 * SEC);
	struct fdb *c = fdb_new(2048, 16, 4, 10 * SEC);
	uint8_t mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0 };
	struct fdb_entry ea, eb;
	size_t ca = 0, cb = 0, same = 0;
	unsigned n = 0, bits = 0;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	while ((1ull << bits) < fdb_slots(a))
		bits++;
	assert_int_equal(fdb_set_hash_key(a, &k1), 0);
	assert_int_equal(fdb_set_hash_key(b, &k1), 0);
	assert_int_equal(fdb_set_hash_key(c, &k2), 0);
	for (uint64_t x = 1; n < COLL_N; x++) {
		uint64_t key = 1ull << 48 | 0x020000000000ull | x;

		if ((key * 0x9e3779b97f4a7c15ull) >> (64 - bits))
			continue;
		for (int i = 0; i < ETH_ALEN; i++)
			mac[i] = (uint8_t)(key >> (40 - 8 * i));
		assert_int_equal(fdb_learn(a, mac, 1, 0, T0), FDB_LEARN_NEW);
		assert_int_equal(fdb_learn(b, mac, 1, 0, T0), FDB_LEARN_NEW);
		assert_int_equal(fdb_learn(c, mac, 1, 0, T0), FDB_LEARN_NEW);
		n++;
	}
	print_message("keyed hash: %u chosen MACs, longest probe %zu slots of %zu\n", n,
		      fdb_max_probe(a), fdb_slots(a));
	assert_true(fdb_max_probe(a) < 40);
	assert_true(fdb_max_probe(c) < 40);
	/* a key cannot be changed under entries */
	assert_int_equal(fdb_set_hash_key(a, &k2), -EBUSY);
	/* the same key places the same entries in the same slots; another key elsewhere */
	while (fdb_next(a, &ca, &ea)) {
		assert_true(fdb_next(b, &cb, &eb));
		assert_int_equal(ca, cb);
		assert_memory_equal(ea.mac, eb.mac, ETH_ALEN);
	}
	assert_false(fdb_next(b, &cb, &eb));
	ca = 0;
	cb = 0;
	while (fdb_next(a, &ca, &ea) && fdb_next(c, &cb, &eb))
		same += !memcmp(ea.mac, eb.mac, ETH_ALEN);
	assert_true(same < COLL_N / 10);
	fdb_free(a);
	fdb_free(b);
	fdb_free(c);
}

/* a slice looks at no more slots than it is given, and slices resume to the end */
static void rule5_flush_and_age_slices_are_bounded(void **state)
{
	struct fdb *fdb = fdb_new(4096, 16, 4, 10 * SEC);
	uint8_t mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0 };
	size_t cursor = 0, total = 0, calls = 0, slots;
	struct fdb_stats st;

	(void)state;
	assert_non_null(fdb);
	slots = fdb_slots(fdb);
	for (unsigned i = 0; i < 4096; i++) {
		mac[4] = (uint8_t)(i >> 8);
		mac[5] = (uint8_t)i;
		assert_int_equal(fdb_learn(fdb, mac, 1, (uint16_t)(i % 2), T0), FDB_LEARN_NEW);
	}
	while (cursor < slots) {
		size_t from = cursor,
		       n = fdb_flush_slice(fdb, 1, FDB_FLUSH_ANY_VID, false, &cursor, 256);

		assert_true(cursor > from && cursor - from <= 256);
		assert_true(n <= 256);
		total += n;
		calls++;
	}
	assert_int_equal(calls, slots / 256);
	assert_int_equal(total, 2048);
	assert_int_equal(fdb_port_learned(fdb, 1), 0);
	assert_int_equal(fdb_port_learned(fdb, 0), 2048);

	/* ageing by slices: each removes at most what its slots held; all gone after a sweep */
	total = 0;
	for (calls = 0; calls < slots / 512; calls++) {
		size_t n = fdb_age_slice(fdb, T0 + 20 * SEC, 512);

		assert_true(n <= 512);
		assert_true(n < 2048);
		total += n;
	}
	assert_int_equal(total, 2048);
	get_stats(fdb, &st);
	assert_int_equal(st.size, 0);
	assert_int_equal(st.aged, 2048);
	assert_int_equal(fdb_age_slice(fdb, T0 + 20 * SEC, 512), 0);
	fdb_free(fdb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rule5_new_rejects_bad_arguments),
		cmocka_unit_test(rule5_key_is_vid_and_mac),
		cmocka_unit_test(rule5_learn_new_refresh_move),
		cmocka_unit_test(rule5_dynamic_entry_ages_at_ageing_time),
		cmocka_unit_test(rule5_default_ageing_300s_and_settable),
		cmocka_unit_test(rule5_ageing_zero_expires_at_once),
		cmocka_unit_test(rule5_expired_entry_invisible_then_refreshed_by_learning),
		cmocka_unit_test(rule5_expired_entry_counts_toward_limit_until_aged),
		cmocka_unit_test(rule5_age_removes_expired_dynamic_only_and_counts),
		cmocka_unit_test(rule5_static_never_ages_never_moved_by_learning),
		cmocka_unit_test(rule5_port_limit_evicts_the_ports_oldest),
		cmocka_unit_test(rule5_move_to_full_port_evicts_its_oldest),
		cmocka_unit_test(rule5_bridge_limit_evicts_from_the_busiest_port),
		cmocka_unit_test(rule5_flood_evicts_the_flooder_not_the_honest),
		cmocka_unit_test(rule5_lowered_port_limit_keeps_existing_entries),
		cmocka_unit_test(rule5_static_entries_not_counted_in_learned_limits),
		cmocka_unit_test(rule5_add_static_errors),
		cmocka_unit_test(rule5_add_static_replace),
		cmocka_unit_test(rule5_del_static_and_dynamic),
		cmocka_unit_test(rule5_flush_by_port),
		cmocka_unit_test(rule5_flush_by_vlan),
		cmocka_unit_test(rule5_flush_all),
		cmocka_unit_test(rule5_next_reads_every_entry_once),
		cmocka_unit_test(rule5_many_entries_survive_deletes_and_flushes),
		cmocka_unit_test(rule5_siphash_matches_the_reference_vector),
		cmocka_unit_test(rule5_paired_siphash_is_two_single_ones),
		cmocka_unit_test(rule5_probes_learn_and_look_up_as_the_plain_calls),
		cmocka_unit_test(rule5_keyed_hash_spreads_chosen_macs),
		cmocka_unit_test(rule5_flush_and_age_slices_are_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
