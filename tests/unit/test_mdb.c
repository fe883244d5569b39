/* SPDX-License-Identifier: GPL-2.0-or-later */
/* test_mdb.c - IGMP/MLD snooping: the MDB (mdb.c), the parser (mdb_snoop.c), the querier's
 * frames (mdb_query.c) and where bridge_input() sends multicast with snooping on */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/bridge.h"
#include "core/mdb.h"
#include "helpers.h"

#define SEC 1000000000ull
#define T0 (1000 * SEC)
#define NPORTS 4

static const uint8_t mac_a[ETH_ALEN] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x0a };
static const uint8_t g4[4] = { 239, 1, 2, 3 };
static const uint8_t g4b[4] = { 239, 1, 2, 4 };
static const uint8_t g6[16] = { 0xff, 0x05, [14] = 0x12, [15] = 0x34 };
static const uint8_t ll6[16] = { 0xfe, 0x80, [15] = 1 };

static int setup(void **state)
{
	struct bridge_config c;
	struct tbr *x;

	bridge_config_default(&c);
	c.max_ports = 8;
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

/* the test's own checksum, not mdb_csum_add(): the code under test must not check itself */
static uint16_t csum(const uint8_t *p, uint32_t n, uint32_t sum)
{
	for (uint32_t i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* an IPv4 frame to @dst (its multicast MAC) with @proto and @n payload bytes of @pl */
static struct frame *ip4(struct tbr *x, const uint8_t *dst, uint8_t proto, const uint8_t *pl,
			 uint32_t n)
{
	struct frame *f = tpool_frame(&x->pool);
	uint8_t *p, *ip;

	tf_reset(f);
	p = f->data;
	memset(p, 0, 60 + n);
	p[0] = 0x01;
	p[2] = 0x5e;
	p[3] = dst[1] & 0x7f;
	p[4] = dst[2];
	p[5] = dst[3];
	memcpy(p + 6, mac_a, ETH_ALEN);
	eth_put_be16(p + 12, 0x0800);
	ip = p + 14;
	ip[0] = 0x45;
	eth_put_be16(ip + 2, (uint16_t)(20 + n));
	ip[8] = 1;
	ip[9] = proto;
	ip[12] = 10;
	ip[15] = 1;
	memcpy(ip + 16, dst, 4);
	eth_put_be16(ip + 10, csum(ip, 20, 0));
	memcpy(ip + 20, pl, n);
	f->len = 14 + 20 + n < 60 ? 60 : 14 + 20 + n;
	return f;
}

/* an IGMP message of @n bytes (type, code, group, then @extra) with a right checksum */
static struct frame *igmp(struct tbr *x, const uint8_t *ipdst, uint8_t type, const uint8_t *group,
			  const uint8_t *extra, uint32_t n_extra)
{
	uint8_t m[256] = { type };

	memcpy(m + 4, group, 4);
	if (n_extra)
		memcpy(m + 8, extra, n_extra);
	eth_put_be16(m + 2, csum(m, 8 + n_extra, 0));
	return ip4(x, ipdst, 2, m, 8 + n_extra);
}

/* IPv6 to @dst, hop-by-hop with Router Alert, then ICMPv6 @m of @n bytes, checksummed */
static struct frame *icmp6(struct tbr *x, const uint8_t *dst, uint8_t *m, uint32_t n, bool hbh)
{
	struct frame *f = tpool_frame(&x->pool);
	uint8_t *p, *ip, *up;
	uint32_t sum = 0, ext = hbh ? 8 : 0;

	tf_reset(f);
	p = f->data;
	memset(p, 0, 14 + 40 + ext + n + 8);
	p[0] = 0x33;
	p[1] = 0x33;
	memcpy(p + 2, dst + 12, 4);
	memcpy(p + 6, mac_a, ETH_ALEN);
	eth_put_be16(p + 12, 0x86dd);
	ip = p + 14;
	ip[0] = 0x60;
	eth_put_be16(ip + 4, (uint16_t)(ext + n));
	ip[6] = hbh ? 0 : 58;
	ip[7] = 1;
	memcpy(ip + 8, ll6, 16);
	memcpy(ip + 24, dst, 16);
	if (hbh) {
		ip[40] = 58;
		ip[42] = 5;
		ip[43] = 2;
		ip[46] = 1;
	}
	up = ip + 40 + ext;
	m[2] = m[3] = 0;
	for (int i = 8; i < 40; i += 2)
		sum += (uint32_t)ip[i] << 8 | ip[i + 1];
	sum += n + 58;
	eth_put_be16(m + 2, csum(m, n, sum));
	memcpy(up, m, n);
	f->len = 14 + 40 + ext + n;
	return f;
}

static struct frame *mld(struct tbr *x, uint8_t type, const uint8_t *group)
{
	static const uint8_t all_routers[16] = { 0xff, 0x02, [15] = 2 };
	uint8_t m[24] = { type };

	memcpy(m + 8, group, 16);
	return icmp6(x,
		     type == 130   ? (const uint8_t[16]){ 0xff, 0x02, [15] = 1 }
		     : type == 132 ? all_routers
				   : group,
		     m, 24, true);
}

static struct frame *data6(struct tbr *x, const uint8_t *group)
{
	uint8_t udp[16] = { 0x30, 0x39, 0x30, 0x39, 0, 16 };
	struct frame *f = icmp6(x, group, udp, 16, false);

	f->data[14 + 6] = 17; /* UDP, not ICMPv6; its checksum is not looked at */
	return f;
}

static struct frame *data4(struct tbr *x, const uint8_t *group)
{
	static const uint8_t udp[16] = { 0x30, 0x39, 0x30, 0x39, 0, 16 };

	return ip4(x, group, 17, udp, 16);
}

/* run @f in on @port; return a bit per port it went out of */
static unsigned in(struct tbr *x, uint16_t port, struct frame *f)
{
	unsigned bits = 0;

	bridge_input(x->br, port, &f, 1, x->now, x->out);
	for (unsigned i = 0; i < x->out->n_active; i++)
		bits |= 1u << x->out->active[i];
	return bits;
}

static uint64_t drops(struct tbr *x, uint16_t port, enum bridge_drop d)
{
	return bridge_port_stats(x->br, port)->drops[d];
}

static void group4(struct mdb_group *g, const uint8_t *a)
{
	memset(g, 0, sizeof(*g));
	memcpy(g->addr, a, 4);
}

/* ---- the table ---- */

static void table_join_leave_age(void **state)
{
	struct siphash_key k = { 1, 2 };
	struct mdb *m = mdb_new(4, 8, &k);
	struct mdb_group g, h;
	uint8_t mask[8] = { 0 };
	struct mdb_entry e;
	uint32_t cur = 0;

	(void)state;
	assert_non_null(m);
	group4(&g, g4);
	group4(&h, g4b);
	assert_int_equal(mdb_join(m, 1, &g, 2, T0), 0);
	assert_int_equal(mdb_join(m, 1, &g, 3, T0), 0);
	assert_int_equal(mdb_join(m, 1, &g, 3, T0 + SEC), 0); /* a refresh, not a new one */
	assert_int_equal(mdb_count(m), 2);
	mdb_targets(m, 1, &g, T0, mask);
	assert_true(mask[2] && mask[3] && !mask[0] && !mask[1]);
	memset(mask, 0, sizeof(mask));
	mdb_targets(m, 2, &g, T0, mask); /* another VLAN: nobody */
	assert_false(mask[2] || mask[3]);
	/* full: the pool holds 4, refused and counted, never more */
	assert_int_equal(mdb_join(m, 1, &h, 1, T0), 0);
	assert_int_equal(mdb_join(m, 2, &h, 1, T0), 0);
	assert_int_equal(mdb_join(m, 3, &h, 1, T0), -ENOSPC);
	assert_int_equal(mdb_stats(m)->refused, 1);
	/* a leave: gone after the last member query time, not before */
	mdb_leave(m, 1, &g, 2, T0 + 10 * SEC);
	assert_int_equal(mdb_age(m, T0 + 11 * SEC), 0);
	assert_int_equal(mdb_age(m, T0 + 12 * SEC), 1);
	while (mdb_next(m, &cur, T0 + 12 * SEC, &e))
		assert_false(e.port == 2);
	/* the membership interval: 260 s */
	assert_int_equal(mdb_age(m, T0 + 259 * SEC), 0);
	assert_int_equal(mdb_age(m, T0 + 260 * SEC), 2);
	assert_int_equal(mdb_age(m, T0 + 261 * SEC), 1);
	assert_int_equal(mdb_count(m), 0);
	assert_int_equal(mdb_join(m, 1, &g, 3, T0), 0);
	mdb_flush_port(m, 3, 0);
	assert_int_equal(mdb_count(m), 0);
	assert_null(mdb_new(0, 8, &k));
	assert_null(mdb_new(MDB_MAX_LIMIT + 1, 8, &k));
	mdb_free(m);
}

static void table_routers_querier(void **state)
{
	struct siphash_key k = { 0, 0 };
	struct mdb *m = mdb_new(16, 8, &k);

	(void)state;
	assert_false(mdb_querier_exists(m, MDB_IPV4, T0));
	mdb_heard_query(m, MDB_IPV4, 5, T0);
	assert_true(mdb_querier_exists(m, MDB_IPV4, T0 + 254 * SEC));
	assert_false(mdb_querier_exists(m, MDB_IPV4, T0 + 255 * SEC));
	assert_false(mdb_querier_exists(m, MDB_IPV6, T0));
	assert_true(mdb_is_router(m, 5, T0 + SEC));
	assert_false(mdb_is_router(m, 5, T0 + 255 * SEC));
	assert_int_equal(mdb_set_router(m, 5, MDB_ROUTER_OFF), 0);
	assert_false(mdb_is_router(m, 5, T0 + SEC));
	assert_int_equal(mdb_set_router(m, 6, MDB_ROUTER_ON), 0);
	assert_true(mdb_is_router(m, 6, T0 + 1000 * SEC));
	assert_int_equal(mdb_set_router(m, 8, MDB_ROUTER_ON), -EINVAL);
	assert_int_equal(mdb_set_router(m, 1, MDB_ROUTER__MAX), -EINVAL);
	mdb_free(m);
	m = mdb_new(16, 8, &k);
	/* the querier: now, after the startup interval, then every 125 s */
	mdb_set_querier(m, true, T0);
	assert_true(mdb_querier_exists(m, MDB_IPV6, T0));
	assert_true(mdb_query_due(m, MDB_IPV4, T0));
	assert_false(mdb_query_due(m, MDB_IPV4, T0 + SEC));
	assert_true(mdb_query_due(m, MDB_IPV4, T0 + MDB_STARTUP_QUERY_NS));
	assert_false(mdb_query_due(m, MDB_IPV4, T0 + MDB_STARTUP_QUERY_NS + 100 * SEC));
	assert_true(mdb_query_due(m, MDB_IPV4, T0 + MDB_STARTUP_QUERY_NS + 125 * SEC));
	mdb_set_querier(m, false, T0);
	assert_false(mdb_query_due(m, MDB_IPV6, T0 + 1000 * SEC));
	mdb_free(m);
}

/* the bridge's querier is quiet while another querier is heard, and takes over after */
static void querier_yields(void **state)
{
	struct siphash_key k = { 0, 0 };
	struct mdb *m = mdb_new(16, 8, &k);

	(void)state;
	mdb_set_querier(m, true, T0);
	assert_true(mdb_query_due(m, MDB_IPV4, T0));
	mdb_heard_query(m, MDB_IPV4, 3, T0 + SEC);
	assert_false(mdb_query_due(m, MDB_IPV4, T0 + MDB_STARTUP_QUERY_NS));
	assert_false(mdb_query_due(m, MDB_IPV4, T0 + SEC + 254 * SEC));
	/* the other's queries do not silence the other family */
	assert_true(mdb_query_due(m, MDB_IPV6, T0 + 2 * SEC));
	assert_true(mdb_query_due(m, MDB_IPV4, T0 + SEC + 255 * SEC));
	mdb_free(m);
}

/* ---- through the bridge ---- */

/* no querier: everything floods, though the report is learned */
static void no_querier_floods(void **state)
{
	struct tbr *x = *state;

	assert_int_equal(in(x, 1, igmp(x, g4, 0x16, g4, NULL, 0)), 0xd);
	assert_int_equal(mdb_count(bridge_mdb(x->br)), 1);
	assert_int_equal(in(x, 0, data4(x, g4)), 0xe);
}

static void igmp_v2_join_leave(void **state)
{
	struct tbr *x = *state;

	mdb_set_querier(bridge_mdb(x->br), true, x->now);
	/* a report goes to the router ports: none yet */
	assert_int_equal(in(x, 1, igmp(x, g4, 0x16, g4, NULL, 0)), 0);
	assert_int_equal(drops(x, 1, BR_DROP_NO_DEST), 1);
	/* data to the group: its listener only; to an unknown group: nobody (no router) */
	assert_int_equal(in(x, 0, data4(x, g4)), 1u << 1);
	assert_int_equal(in(x, 0, data4(x, g4b)), 0);
	/* a query from port 3: it floods, and port 3 is a router port */
	assert_int_equal(in(x, 3,
			    igmp(x, (const uint8_t[]){ 224, 0, 0, 1 }, 0x11,
				 (const uint8_t[4]){ 0 }, NULL, 0)),
			 0x7);
	assert_true(mdb_is_router(bridge_mdb(x->br), 3, x->now));
	assert_int_equal(in(x, 0, data4(x, g4)), (1u << 1) | (1u << 3));
	assert_int_equal(in(x, 0, data4(x, g4b)), 1u << 3);
	assert_int_equal(in(x, 2, igmp(x, g4, 0x16, g4, NULL, 0)), 1u << 3);
	assert_int_equal(in(x, 0, data4(x, g4)), 0xe);
	/* link-local groups always flood */
	assert_int_equal(in(x, 0, data4(x, (const uint8_t[]){ 224, 0, 0, 251 })), 0xe);
	/* port 1 leaves: 2 s later it hears no more */
	assert_int_equal(in(x, 1, igmp(x, (const uint8_t[]){ 224, 0, 0, 2 }, 0x17, g4, NULL, 0)),
			 1u << 3);
	x->now += 2 * SEC;
	bridge_age(x->br, x->now);
	assert_int_equal(in(x, 0, data4(x, g4)), (1u << 2) | (1u << 3));
	/* the router port's own traffic does not go back to it */
	assert_int_equal(in(x, 3, data4(x, g4)), 1u << 2);
	/* snooping off: flood, and the table is empty */
	bridge_set_mcast_snooping(x->br, false);
	assert_int_equal(mdb_count(bridge_mdb(x->br)), 0);
	assert_int_equal(in(x, 0, data4(x, g4)), 0xe);
}

static void igmp_v3_records(void **state)
{
	struct tbr *x = *state;
	static const uint8_t v3[4] = { 224, 0, 0, 22 };
	uint8_t recs[64] = { 0 };

	mdb_set_querier(bridge_mdb(x->br), true, x->now);
	/* two records: EXCLUDE{} of g4 (join), ALLOW{1 source} of g4b (join) */
	recs[0] = 0; /* reserved, then the number of records */
	recs[2] = 0;
	recs[3] = 2;
	recs[4] = 4; /* CHANGE_TO_EXCLUDE, no aux, no source */
	memcpy(recs + 8, g4, 4);
	recs[12] = 5; /* ALLOW_NEW_SOURCES, 1 source */
	recs[15] = 1;
	memcpy(recs + 16, g4b, 4);
	recs[20] = 10;
	recs[23] = 1;
	in(x, 2, igmp(x, v3, 0x22, recs, recs + 4, 20));
	assert_int_equal(mdb_count(bridge_mdb(x->br)), 2);
	assert_int_equal(in(x, 0, data4(x, g4b)), 1u << 2);
	/* TO_INCLUDE{} of g4: a leave */
	memset(recs, 0, sizeof(recs));
	recs[3] = 1;
	recs[4] = 3;
	memcpy(recs + 8, g4, 4);
	in(x, 2, igmp(x, v3, 0x22, recs, recs + 4, 8));
	x->now += 3 * SEC;
	bridge_age(x->br, x->now);
	assert_int_equal(in(x, 0, data4(x, g4)), 0);
	assert_int_equal(in(x, 0, data4(x, g4b)), 1u << 2);
	/* a record count running past the message: bad, dropped, counted */
	recs[3] = 3;
	assert_int_equal(in(x, 2, igmp(x, v3, 0x22, recs, recs + 4, 8)), 0);
	assert_int_equal(drops(x, 2, BR_DROP_BAD_IGMP_MLD), 1);
}

static void igmp_bad(void **state)
{
	struct tbr *x = *state;
	struct frame *f;

	mdb_set_querier(bridge_mdb(x->br), true, x->now);
	f = igmp(x, g4, 0x16, g4, NULL, 0);
	f->data[14 + 20 + 2] ^= 0x55; /* checksum */
	assert_int_equal(in(x, 1, f), 0);
	f = igmp(x, g4, 0x16, g4, NULL, 0);
	eth_put_be16(f->data + 14 + 2, 200); /* IP length past the frame */
	assert_int_equal(in(x, 1, f), 0);
	f = ip4(x, g4, 2, (const uint8_t[4]){ 0x16 }, 4); /* IGMP shorter than 8 */
	assert_int_equal(in(x, 1, f), 0);
	assert_int_equal(drops(x, 1, BR_DROP_BAD_IGMP_MLD), 3);
	assert_int_equal(mdb_stats(bridge_mdb(x->br))->bad, 3);
	assert_int_equal(mdb_count(bridge_mdb(x->br)), 0);
	/* an unknown IGMP type floods (DVMRP, mtrace) */
	assert_int_equal(in(x, 1, igmp(x, g4, 0x13, g4, NULL, 0)), 0xd);
}

static void mld_v1_v2(void **state)
{
	struct tbr *x = *state;
	static const uint8_t mld2[16] = { 0xff, 0x02, [15] = 0x16 };
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	uint8_t m[64] = { 143 };
	struct frame *f;

	mdb_set_querier(bridge_mdb(x->br), true, x->now);
	assert_int_equal(in(x, 1, mld(x, 131, g6)), 0);
	assert_int_equal(in(x, 0, data6(x, g6)), 1u << 1);
	/* ff02::1 floods, always */
	assert_int_equal(in(x, 0, data6(x, all_nodes)), 0xe);
	/* MLDv2: MODE_IS_EXCLUDE{} of g6 from port 2 */
	m[7] = 1;
	m[8] = 2;
	memcpy(m + 12, g6, 16);
	in(x, 2, icmp6(x, mld2, m, 28, true));
	assert_int_equal(in(x, 0, data6(x, g6)), (1u << 1) | (1u << 2));
	/* done from port 1 */
	in(x, 1, mld(x, 132, g6));
	x->now += 2 * SEC;
	bridge_age(x->br, x->now);
	assert_int_equal(in(x, 0, data6(x, g6)), 1u << 2);
	/* a query: floods, port 3 a router port for IPv6 too */
	assert_int_equal(in(x, 3, mld(x, 130, (const uint8_t[16]){ 0 })), 0x7);
	assert_int_equal(in(x, 0, data6(x, g6)), (1u << 2) | (1u << 3));
	/* a bad MLD checksum */
	f = mld(x, 131, g6);
	f->data[14 + 48 + 2] ^= 1;
	assert_int_equal(in(x, 1, f), 0);
	assert_int_equal(drops(x, 1, BR_DROP_BAD_IGMP_MLD), 1);
	/* ND is not MLD: a neighbour solicitation floods */
	memset(m, 0, sizeof(m));
	m[0] = 135;
	assert_int_equal(in(x, 0, icmp6(x, all_nodes, m, 24, false)), 0xe);
}

/* on a filtering bridge, a membership is in its VLAN only */
static void per_vlan(void **state)
{
	struct tbr *x = *state;
	struct frame *f;

	mdb_set_querier(bridge_mdb(x->br), true, x->now);
	for (int p = 0; p < NPORTS; p++)
		assert_int_equal(bridge_vlan_add(x->br, (uint16_t)p, 10, false, false), 0);
	in(x, 1, igmp(x, g4, 0x16, g4, NULL, 0)); /* in VLAN 1, untagged */
	assert_int_equal(in(x, 0, data4(x, g4)), 1u << 1);
	/* the same group in VLAN 10: unknown there */
	f = data4(x, g4);
	memmove(f->data + 16, f->data + 12, f->len - 12);
	eth_put_be16(f->data + 12, ETH_P_8021Q);
	eth_put_be16(f->data + 14, 10);
	f->len += 4;
	assert_int_equal(in(x, 0, f), 0);
	/* port 1 leaves VLAN 1: its membership there goes */
	assert_int_equal(bridge_vlan_del(x->br, 1, 1), 0);
	assert_int_equal(mdb_count(bridge_mdb(x->br)), 0);
}

/* a port deleted takes its memberships and router mode along: a new port of its number
 * starts clean */
static void port_del_forgets(void **state)
{
	struct tbr *x = *state;
	struct mdb *m = bridge_mdb(x->br);

	mdb_set_querier(m, true, x->now);
	assert_int_equal(mdb_set_router(m, 3, MDB_ROUTER_ON), 0);
	in(x, 2, igmp(x, g4, 0x16, g4, NULL, 0));
	assert_int_equal(in(x, 0, data4(x, g4)), (1u << 2) | (1u << 3));
	assert_int_equal(bridge_port_del(x->br, 3), 0);
	assert_int_equal(bridge_port_del(x->br, 2), 0);
	assert_int_equal(mdb_count(m), 0);
	assert_int_equal(bridge_port_add(x->br), 2);
	assert_int_equal(bridge_port_add(x->br), 3);
	assert_int_equal(mdb_router(m, 3), MDB_ROUTER_AUTO);
	assert_int_equal(in(x, 0, data4(x, g4)), 0);
	assert_int_equal(in(x, 0, data4(x, g4b)), 0);
}

/*
 * mcast_max_groups: a port at its limit is refused its next new group (counted on it and on
 * the bridge), refreshes what it has, and gets room back when one runs out; another port's
 * listener still joins and receives its group; a reset port starts with no limit
 */
static void port_group_limit(void **state)
{
	struct tbr *x = *state;
	struct mdb *m = bridge_mdb(x->br);
	uint8_t g[4] = { 239, 2, 0, 0 };

	mdb_set_querier(m, true, x->now);
	assert_int_equal(mdb_set_max_groups(m, 2, 3), 0);
	assert_int_equal(mdb_set_max_groups(m, 8, 3), -EINVAL);
	assert_int_equal(mdb_set_max_groups(m, 2, MDB_MAX_LIMIT + 1), -EINVAL);
	assert_int_equal(mdb_max_groups(m, 2), 3);
	for (int i = 0; i < 5; i++) {
		g[3] = (uint8_t)i;
		in(x, 2, igmp(x, g, 0x16, g, NULL, 0));
	}
	assert_int_equal(mdb_n_groups(m, 2), 3);
	assert_int_equal(mdb_count(m), 3);
	assert_int_equal(mdb_port_limited(m, 2), 2);
	assert_int_equal(mdb_stats(m)->limited, 2);
	assert_int_equal(mdb_stats(m)->refused, 0);
	assert_int_equal(mdb_port_limited_news(m, 2), 2);
	assert_int_equal(mdb_port_limited_news(m, 2), 0);
	/* the refused group's data does not reach it; a joined one's does */
	g[3] = 4;
	assert_int_equal(in(x, 0, data4(x, g)), 0);
	g[3] = 0;
	assert_int_equal(in(x, 0, data4(x, g)), 1u << 2);
	/* a report for a group it has refreshes it: not a new one */
	in(x, 2, igmp(x, g, 0x16, g, NULL, 0));
	assert_int_equal(mdb_port_limited(m, 2), 2);
	/* another port is not limited by it */
	in(x, 1, igmp(x, g4, 0x16, g4, NULL, 0));
	assert_int_equal(mdb_n_groups(m, 1), 1);
	assert_int_equal(in(x, 0, data4(x, g4)), 1u << 1);
	/* a VLAN counts with the others: port 2 in VLAN 10 too is still at 3 */
	assert_int_equal(mdb_join(m, 10, &(struct mdb_group){ .addr = { 239, 9, 9, 9 } }, 2,
				  x->now),
			 -E2BIG);
	/* a leave frees room once its membership runs out */
	g[3] = 1;
	in(x, 2, igmp(x, (const uint8_t[4]){ 224, 0, 0, 2 }, 0x17, g, NULL, 0));
	x->now += 3 * SEC;
	bridge_age(x->br, x->now);
	assert_int_equal(mdb_n_groups(m, 2), 2);
	g[3] = 4;
	in(x, 2, igmp(x, g, 0x16, g, NULL, 0));
	assert_int_equal(mdb_n_groups(m, 2), 3);
	assert_int_equal(in(x, 0, data4(x, g)), 1u << 2);
	/* 0 lifts the limit */
	assert_int_equal(mdb_set_max_groups(m, 2, 0), 0);
	g[3] = 5;
	in(x, 2, igmp(x, g, 0x16, g, NULL, 0));
	assert_int_equal(mdb_n_groups(m, 2), 4);
	/* a port deleted and made again: no memberships, no limit, counters zero */
	assert_int_equal(mdb_set_max_groups(m, 2, 1), 0);
	assert_int_equal(bridge_port_del(x->br, 2), 0);
	assert_int_equal(mdb_n_groups(m, 2), 0);
	assert_int_equal(bridge_port_add(x->br), 2);
	assert_int_equal(mdb_max_groups(m, 2), 0);
	assert_int_equal(mdb_port_limited(m, 2), 0);
	assert_int_equal(mdb_count(m), 1);
	/* a flush forgets every port's count */
	mdb_flush(m);
	assert_int_equal(mdb_n_groups(m, 1), 0);
}

/* the querier's frames parse back as general queries with right checksums */
static void query_frames(void **state)
{
	struct tbr *x = *state;
	static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct mdb_group g;
	enum mdb_family fam;

	for (int i = 0; i < MDB_FAMILY__MAX; i++) {
		struct frame *f = tpool_frame(&x->pool);

		assert_int_equal(mdb_build_query(f, (enum mdb_family)i, mac), 0);
		assert_memory_equal(f->data + 6, mac, 6);
		assert_int_equal(mdb_snoop(bridge_mdb(x->br), f, 2, 1, x->now, &g, &fam),
				 MDB_QUERY);
		assert_int_equal(fam, i);
		assert_true(mdb_querier_exists(bridge_mdb(x->br), fam, x->now));
	}
	/* injected, the bridge's own query floods and makes no router port */
	{
		struct frame *f = tpool_frame(&x->pool);

		mdb_build_query(f, MDB_IPV4, mac);
		bridge_inject(x->br, 0, f, x->now, x->out);
		assert_int_equal(x->out->n_active, 3);
		assert_false(mdb_is_router(bridge_mdb(x->br), 0, x->now));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_join_leave_age),
		cmocka_unit_test(table_routers_querier),
		cmocka_unit_test(querier_yields),
		cmocka_unit_test_setup_teardown(no_querier_floods, setup, teardown),
		cmocka_unit_test_setup_teardown(igmp_v2_join_leave, setup, teardown),
		cmocka_unit_test_setup_teardown(igmp_v3_records, setup, teardown),
		cmocka_unit_test_setup_teardown(igmp_bad, setup, teardown),
		cmocka_unit_test_setup_teardown(mld_v1_v2, setup, teardown),
		cmocka_unit_test_setup_teardown(per_vlan, setup, teardown),
		cmocka_unit_test_setup_teardown(port_del_forgets, setup, teardown),
		cmocka_unit_test_setup_teardown(query_frames, setup, teardown),
		cmocka_unit_test_setup_teardown(port_group_limit, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
