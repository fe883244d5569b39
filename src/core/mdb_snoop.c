// SPDX-License-Identifier: GPL-2.0-or-later
/* mdb_snoop.c - read IGMP (RFC 2236, 3376) and MLD (RFC 2710, 3810) into the MDB (mdb.h)
 *
 * What a message does is the kernel bridge's (with its default IGMPv2/MLDv1 state): a
 * report joins; an IGMPv3/MLDv2 record joins too, except an INCLUDE with no source, which
 * leaves (source filtering is not kept: a listener to some sources gets the whole group); a
 * general query marks its port a router port and a querier present. Reports for
 * 224.0.0.0/24 and ff02::1 are not kept: those groups always flood. Every length is
 * checked against the frame before it is read, and an IGMP/MLD checksum that does not add
 * up makes the message bad.
 */

#include <string.h>

#include "core/eth.h"
#include "core/mdb.h"

#define ETH_P_IP_ 0x0800
#define ETH_P_IPV6_ 0x86dd
#define PROTO_IGMP 2
#define PROTO_ICMPV6 58
#define IP6_HLEN 40
#define SNOOP_MAX_TAGS 2
#define SNOOP_MAX_EXT 8

enum {
	IGMP_QUERY = 0x11,
	IGMP_V1_REPORT = 0x12,
	IGMP_V2_REPORT = 0x16,
	IGMP_LEAVE = 0x17,
	IGMP_V3_REPORT = 0x22,
	MLD_QUERY = 130,
	MLD_REPORT = 131,
	MLD_DONE = 132,
	MLD_V2_REPORT = 143,
};

/* IGMPv3/MLDv2 record types (RFC 3376 4.2.12): 1 and 3 are INCLUDE */
#define REC_IS_INCLUDE 1
#define REC_TO_INCLUDE 3
#define REC_TYPE_MAX 6

struct snoop {
	struct mdb *m;
	uint16_t port;
	uint16_t vid;
	uint64_t now;
};

uint32_t mdb_csum_add(const uint8_t *p, uint32_t n, uint32_t sum)
{
	for (; n > 1; p += 2, n -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (n)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

uint16_t mdb_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void snoop_v4_group(struct mdb_group *g, const uint8_t *a)
{
	memset(g, 0, sizeof(*g));
	memcpy(g->addr, a, 4);
}

static void snoop_v6_group(struct mdb_group *g, const uint8_t *a)
{
	memcpy(g->addr, a, 16);
	g->v6 = true;
}

/* a group the table keeps: multicast, not link-local 224.0.0.0/24 or ff02::1 */
static bool snoop_keeps(const struct mdb_group *g)
{
	static const uint8_t all_nodes[16] = { 0xff, 0x02, [15] = 1 };

	if (g->v6)
		return g->addr[0] == 0xff && memcmp(g->addr, all_nodes, 16) != 0;
	return (g->addr[0] & 0xf0) == 0xe0 && !(g->addr[0] == 224 && !g->addr[1] && !g->addr[2]);
}

static void snoop_join(struct snoop *s, const struct mdb_group *g)
{
	if (!snoop_keeps(g))
		return;
	mdb_stats_mut(s->m)->reports++;
	mdb_join(s->m, s->vid, g, s->port, s->now);
}

static void snoop_leave(struct snoop *s, const struct mdb_group *g)
{
	if (!snoop_keeps(g))
		return;
	mdb_stats_mut(s->m)->leaves++;
	mdb_leave(s->m, s->vid, g, s->port, s->now);
}

/*
 * The group records of an IGMPv3 (@alen 4) or MLDv2 (@alen 16) report, @n of them from
 * @p to @end. Return: MDB_REPORT, or MDB_BAD for a record that runs past the message
 */
static enum mdb_verdict snoop_records(struct snoop *s, const uint8_t *p, const uint8_t *end,
				      unsigned n, unsigned alen)
{
	for (unsigned i = 0; i < n; i++) {
		struct mdb_group g;
		uint32_t nsrc, len;
		uint8_t type;

		if (end - p < (long)(4 + alen))
			return MDB_BAD;
		type = p[0];
		nsrc = eth_get_be16(p + 2);
		len = 4 + alen + nsrc * alen + (uint32_t)p[1] * 4;
		if ((uint32_t)(end - p) < len)
			return MDB_BAD;
		if (alen == 4)
			snoop_v4_group(&g, p + 4);
		else
			snoop_v6_group(&g, p + 4);
		p += len;
		if (!type || type > REC_TYPE_MAX)
			continue;
		if ((type == REC_IS_INCLUDE || type == REC_TO_INCLUDE) && !nsrc)
			snoop_leave(s, &g);
		else
			snoop_join(s, &g);
	}
	return MDB_REPORT;
}

static enum mdb_verdict snoop_igmp(struct snoop *s, const uint8_t *p, uint32_t len)
{
	struct mdb_group g;

	if (len < 8 || mdb_csum_fold(mdb_csum_add(p, len, 0)))
		return MDB_BAD;
	snoop_v4_group(&g, p + 4);
	switch (p[0]) {
	case IGMP_QUERY:
		/* a general query tells of a querier; a group query only asks about its group */
		if (len != 8 && len < 12)
			return MDB_BAD;
		if (!g.addr[0] && !g.addr[1] && !g.addr[2] && !g.addr[3])
			mdb_heard_query(s->m, MDB_IPV4, s->port, s->now);
		return MDB_QUERY;
	case IGMP_V1_REPORT:
	case IGMP_V2_REPORT:
		snoop_join(s, &g);
		return MDB_REPORT;
	case IGMP_LEAVE:
		snoop_leave(s, &g);
		return MDB_REPORT;
	case IGMP_V3_REPORT:
		return snoop_records(s, p + 8, p + len, eth_get_be16(p + 6), 4);
	default:
		return MDB_FLOOD;
	}
}

static enum mdb_verdict snoop_ipv4(struct snoop *s, const struct frame *f, uint32_t off,
				   struct mdb_group *g)
{
	const uint8_t *ip = f->data + off;
	uint32_t ihl, tot;

	if (off + 20 > f->len || ip[0] >> 4 != 4)
		return MDB_FLOOD;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	tot = eth_get_be16(ip + 2);
	if ((ip[16] & 0xf0) != 0xe0)
		return MDB_FLOOD;
	if (ihl < 20 || tot < ihl || off + tot > f->len)
		return ip[9] == PROTO_IGMP ? MDB_BAD : MDB_FLOOD;
	if (ip[9] == PROTO_IGMP) {
		/* IGMP is never fragmented: a fragment of it is made up */
		if (eth_get_be16(ip + 6) & 0x3fff)
			return MDB_BAD;
		return snoop_igmp(s, ip + ihl, tot - ihl);
	}
	snoop_v4_group(g, ip + 16);
	return snoop_keeps(g) ? MDB_DATA : MDB_FLOOD;
}

static enum mdb_verdict snoop_mld(struct snoop *s, const uint8_t *ip, const uint8_t *p,
				  uint32_t len)
{
	struct mdb_group g;
	uint32_t sum;

	if (len < 8)
		return MDB_BAD;
	/* the pseudo-header: addresses, upper-layer length, next header */
	sum = mdb_csum_add(ip + 8, 32, 0) + (len >> 16) + (len & 0xffff) + PROTO_ICMPV6;
	if (mdb_csum_fold(mdb_csum_add(p, len, sum)))
		return MDB_BAD;
	if (p[0] == MLD_V2_REPORT)
		return snoop_records(s, p + 8, p + len, eth_get_be16(p + 6), 16);
	if (len < 24)
		return MDB_BAD;
	snoop_v6_group(&g, p + 8);
	switch (p[0]) {
	case MLD_QUERY: {
		static const uint8_t any[16];

		if (len != 24 && len < 28)
			return MDB_BAD;
		if (!memcmp(g.addr, any, 16))
			mdb_heard_query(s->m, MDB_IPV6, s->port, s->now);
		return MDB_QUERY;
	}
	case MLD_REPORT:
		snoop_join(s, &g);
		return MDB_REPORT;
	default: /* MLD_DONE */
		snoop_leave(s, &g);
		return MDB_REPORT;
	}
}

static bool snoop_is_mld(uint8_t type)
{
	return type == MLD_QUERY || type == MLD_REPORT || type == MLD_DONE || type == MLD_V2_REPORT;
}

static enum mdb_verdict snoop_ipv6(struct snoop *s, const struct frame *f, uint32_t off,
				   struct mdb_group *g)
{
	const uint8_t *ip = f->data + off;
	uint32_t end, plen;
	uint8_t next;

	if (off + IP6_HLEN > f->len || ip[0] >> 4 != 6 || ip[24] != 0xff)
		return MDB_FLOOD;
	plen = eth_get_be16(ip + 4);
	end = off + IP6_HLEN + plen;
	if (end > f->len)
		return MDB_FLOOD;
	next = ip[6];
	off += IP6_HLEN;
	for (unsigned i = 0; i <= SNOOP_MAX_EXT && next != PROTO_ICMPV6; i++) {
		if (next == 0 || next == 43 || next == 60) {
			if (off + 2 > end)
				return MDB_FLOOD;
			next = f->data[off];
			off += ((uint32_t)f->data[off + 1] + 1) * 8;
		} else if (next == 44) {
			if (off + 8 > end || (eth_get_be16(f->data + off + 2) & 0xfff8))
				return MDB_FLOOD;
			next = f->data[off];
			off += 8;
		} else {
			break;
		}
	}
	if (next == PROTO_ICMPV6 && off < end && snoop_is_mld(f->data[off]))
		return snoop_mld(s, ip, f->data + off, end - off);
	snoop_v6_group(g, ip + 24);
	return snoop_keeps(g) ? MDB_DATA : MDB_FLOOD;
}

enum mdb_verdict mdb_snoop(struct mdb *m, const struct frame *f, uint16_t port, uint16_t vid,
			   uint64_t now, struct mdb_group *g, enum mdb_family *fam)
{
	struct snoop s = { .m = m, .port = port, .vid = vid, .now = now };
	uint32_t off = 2 * ETH_ALEN;
	enum mdb_verdict v;
	uint16_t type;

	if (f->len < ETH_HLEN)
		return MDB_FLOOD;
	type = eth_get_be16(f->data + off);
	for (unsigned i = 0; i < SNOOP_MAX_TAGS && (type == ETH_P_8021Q || type == ETH_P_8021AD);
	     i++) {
		off += VLAN_HLEN;
		if (off + 2 > f->len)
			return MDB_FLOOD;
		type = eth_get_be16(f->data + off);
	}
	off += 2;
	if (type == ETH_P_IP_ && f->data[0] == 0x01 && f->data[1] == 0 && f->data[2] == 0x5e) {
		*fam = MDB_IPV4;
		v = snoop_ipv4(&s, f, off, g);
	} else if (type == ETH_P_IPV6_ && f->data[0] == 0x33 && f->data[1] == 0x33) {
		*fam = MDB_IPV6;
		v = snoop_ipv6(&s, f, off, g);
	} else {
		return MDB_FLOOD;
	}
	if (v == MDB_BAD)
		mdb_stats_mut(m)->bad++;
	return v;
}
