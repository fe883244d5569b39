// SPDX-License-Identifier: GPL-2.0-or-later
/* mdb.c - the multicast database's table, router ports and querier timers (see mdb.h) */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/mdb.h"

#define MDB_NONE UINT32_MAX

/* one membership; a free one is on the free list through @next */
struct mdb_slot {
	struct mdb_group group;
	uint16_t vid;
	uint16_t port;
	bool used;
	uint32_t next; /* in its hash chain, or the free list */
	uint64_t expires;
};

struct mdb {
	struct siphash_key key;
	uint32_t max;
	uint32_t n;
	uint32_t mask; /* buckets - 1 */
	uint32_t free;
	uint32_t *buckets;
	struct mdb_slot *slots;
	uint16_t max_ports;
	uint8_t *router;	/* enum mdb_router, per port */
	uint64_t *router_til;	/* per port: a learned router port until then */
	uint32_t *port_max;	/* per port: mcast_max_groups, 0 for none */
	uint32_t *port_n;	/* per port: its memberships */
	uint64_t *port_limited; /* per port: joins refused by its limit */
	uint64_t *port_logged;	/* per port: of those, told by mdb_port_limited_news() */
	uint16_t router_hi; /* no port at or above it was ever a router port: the end of a scan */
	bool querier;
	uint64_t other_til[MDB_FAMILY__MAX]; /* another querier heard: until then */
	uint64_t next_query[MDB_FAMILY__MAX];
	uint8_t startup_left[MDB_FAMILY__MAX];
	struct mdb_stats stats;
};

static const char *const mdb_router_names[MDB_ROUTER__MAX] = {
	[MDB_ROUTER_OFF] = "off",
	[MDB_ROUTER_AUTO] = "auto",
	[MDB_ROUTER_ON] = "on",
};

const char *mdb_router_name(enum mdb_router r)
{
	return (unsigned)r < MDB_ROUTER__MAX ? mdb_router_names[r] : NULL;
}

struct mdb *mdb_new(uint32_t max, uint16_t max_ports, const struct siphash_key *key)
{
	struct mdb *m;
	uint32_t nb = 1;

	if (!max || max > MDB_MAX_LIMIT || !max_ports)
		return NULL;
	while (nb < max)
		nb <<= 1;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->key = *key;
	m->max = max;
	m->mask = nb - 1;
	m->max_ports = max_ports;
	m->buckets = malloc(nb * sizeof(*m->buckets));
	m->slots = calloc(max, sizeof(*m->slots));
	m->router = calloc(max_ports, sizeof(*m->router));
	m->router_til = calloc(max_ports, sizeof(*m->router_til));
	m->port_max = calloc(max_ports, sizeof(*m->port_max));
	m->port_n = calloc(max_ports, sizeof(*m->port_n));
	m->port_limited = calloc(max_ports, sizeof(*m->port_limited));
	m->port_logged = calloc(max_ports, sizeof(*m->port_logged));
	if (!m->buckets || !m->slots || !m->router || !m->router_til || !m->port_max ||
	    !m->port_n || !m->port_limited || !m->port_logged) {
		mdb_free(m);
		return NULL;
	}
	memset(m->router, MDB_ROUTER_AUTO, max_ports);
	mdb_flush(m);
	return m;
}

void mdb_free(struct mdb *m)
{
	if (!m)
		return;
	free(m->buckets);
	free(m->slots);
	free(m->router);
	free(m->router_til);
	free(m->port_max);
	free(m->port_n);
	free(m->port_limited);
	free(m->port_logged);
	free(m);
}

void mdb_flush(struct mdb *m)
{
	for (uint32_t i = 0; i <= m->mask; i++)
		m->buckets[i] = MDB_NONE;
	for (uint32_t i = 0; i < m->max; i++) {
		m->slots[i].used = false;
		m->slots[i].next = i + 1 < m->max ? i + 1 : MDB_NONE;
	}
	m->free = 0;
	m->n = 0;
	memset(m->port_n, 0, m->max_ports * sizeof(*m->port_n));
}

static uint64_t mdb_load64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * Keyed: a collision needs the secret, not just a chosen address. An IPv4 group and its VID
 * fit one word, hashed once; an IPv6 group takes two calls chained (a word made by xoring
 * its halves would let chosen addresses collide).
 */
static uint32_t mdb_bucket(const struct mdb *m, uint16_t vid, const struct mdb_group *g)
{
	uint64_t h;

	if (!g->v6) {
		h = siphash_u64(&m->key, mdb_load64(g->addr) | (uint64_t)vid << 48, 1, 3);
		return (uint32_t)h & m->mask;
	}
	h = siphash_u64(&m->key, mdb_load64(g->addr), 1, 3);
	h = siphash_u64(&m->key, h ^ mdb_load64(g->addr + 8) ^ ((uint64_t)vid << 1 | 1), 1, 3);
	return (uint32_t)h & m->mask;
}

static bool mdb_same(const struct mdb_slot *s, uint16_t vid, const struct mdb_group *g)
{
	return s->vid == vid && s->group.v6 == g->v6 && !memcmp(s->group.addr, g->addr, 16);
}

int mdb_join(struct mdb *m, uint16_t vid, const struct mdb_group *g, uint16_t port, uint64_t now)
{
	uint32_t b = mdb_bucket(m, vid, g), i;
	struct mdb_slot *s;

	for (i = m->buckets[b]; i != MDB_NONE; i = m->slots[i].next) {
		s = &m->slots[i];
		if (s->port == port && mdb_same(s, vid, g)) {
			s->expires = now + MDB_MEMBERSHIP_NS;
			return 0;
		}
	}
	/* a port at its limit is refused first: its flood must not look like a full table */
	if (port < m->max_ports && m->port_max[port] && m->port_n[port] >= m->port_max[port]) {
		m->stats.limited++;
		m->port_limited[port]++;
		return -E2BIG;
	}
	if (m->free == MDB_NONE) {
		m->stats.refused++;
		return -ENOSPC;
	}
	i = m->free;
	s = &m->slots[i];
	m->free = s->next;
	s->group = *g;
	s->vid = vid;
	s->port = port;
	s->used = true;
	s->expires = now + MDB_MEMBERSHIP_NS;
	s->next = m->buckets[b];
	m->buckets[b] = i;
	m->n++;
	if (port < m->max_ports)
		m->port_n[port]++;
	return 0;
}

void mdb_leave(struct mdb *m, uint16_t vid, const struct mdb_group *g, uint16_t port, uint64_t now)
{
	uint32_t b = mdb_bucket(m, vid, g);

	for (uint32_t i = m->buckets[b]; i != MDB_NONE; i = m->slots[i].next) {
		struct mdb_slot *s = &m->slots[i];

		/* as the kernel: the listener's port hears no more after the last member query
		 * time, in which another listener there may still report */
		if (s->port == port && mdb_same(s, vid, g) && s->expires > now + MDB_LAST_MEMBER_NS)
			s->expires = now + MDB_LAST_MEMBER_NS;
	}
}

/* unlink every slot of bucket @b that @gone says should go; return how many went */
static uint32_t mdb_sweep_bucket(struct mdb *m, uint32_t b, uint16_t port, uint16_t vid,
				 uint64_t now, bool by_time)
{
	uint32_t *link = &m->buckets[b], n = 0;

	while (*link != MDB_NONE) {
		uint32_t i = *link;
		struct mdb_slot *s = &m->slots[i];
		bool gone = by_time ? s->expires <= now
				    : s->port == port && (!vid || s->vid == vid);

		if (!gone) {
			link = &s->next;
			continue;
		}
		*link = s->next;
		if (s->port < m->max_ports)
			m->port_n[s->port]--;
		s->used = false;
		s->next = m->free;
		m->free = i;
		m->n--;
		n++;
	}
	return n;
}

void mdb_flush_port(struct mdb *m, uint16_t port, uint16_t vid)
{
	for (uint32_t b = 0; b <= m->mask; b++)
		mdb_sweep_bucket(m, b, port, vid, 0, false);
	if (!vid && port < m->max_ports)
		m->router_til[port] = 0;
}

void mdb_port_reset(struct mdb *m, uint16_t port)
{
	if (port >= m->max_ports)
		return;
	mdb_flush_port(m, port, 0);
	m->router[port] = MDB_ROUTER_AUTO;
	m->port_max[port] = 0;
	m->port_limited[port] = 0;
	m->port_logged[port] = 0;
}

int mdb_set_max_groups(struct mdb *m, uint16_t port, uint32_t max)
{
	if (port >= m->max_ports || max > MDB_MAX_LIMIT)
		return -EINVAL;
	m->port_max[port] = max;
	return 0;
}

uint32_t mdb_max_groups(const struct mdb *m, uint16_t port)
{
	return port < m->max_ports ? m->port_max[port] : 0;
}

uint32_t mdb_n_groups(const struct mdb *m, uint16_t port)
{
	return port < m->max_ports ? m->port_n[port] : 0;
}

uint64_t mdb_port_limited(const struct mdb *m, uint16_t port)
{
	return port < m->max_ports ? m->port_limited[port] : 0;
}

uint64_t mdb_port_limited_news(struct mdb *m, uint16_t port)
{
	uint64_t n;

	if (port >= m->max_ports)
		return 0;
	n = m->port_limited[port] - m->port_logged[port];
	m->port_logged[port] = m->port_limited[port];
	return n;
}

uint32_t mdb_age(struct mdb *m, uint64_t now)
{
	uint32_t n = 0;

	if (!m->n)
		return 0;
	for (uint32_t b = 0; b <= m->mask; b++)
		n += mdb_sweep_bucket(m, b, 0, 0, now, true);
	m->stats.expired += n;
	return n;
}

bool mdb_querier_exists(const struct mdb *m, enum mdb_family fam, uint64_t now)
{
	return m->querier || m->other_til[fam] > now;
}

bool mdb_is_router(const struct mdb *m, uint16_t port, uint64_t now)
{
	if (port >= m->max_ports)
		return false;
	return m->router[port] == MDB_ROUTER_ON ||
	       (m->router[port] == MDB_ROUTER_AUTO && m->router_til[port] > now);
}

void mdb_targets(const struct mdb *m, uint16_t vid, const struct mdb_group *g, uint64_t now,
		 uint8_t *mask)
{
	for (uint16_t p = 0; p < m->router_hi; p++)
		if (mdb_is_router(m, p, now))
			mask[p] = 1;
	if (!g)
		return;
	for (uint32_t i = m->buckets[mdb_bucket(m, vid, g)]; i != MDB_NONE; i = m->slots[i].next) {
		const struct mdb_slot *s = &m->slots[i];

		if (s->expires > now && mdb_same(s, vid, g) && s->port < m->max_ports)
			mask[s->port] = 1;
	}
}

int mdb_set_router(struct mdb *m, uint16_t port, enum mdb_router mode)
{
	if (port >= m->max_ports || !mdb_router_name(mode))
		return -EINVAL;
	m->router[port] = (uint8_t)mode;
	if (mode == MDB_ROUTER_ON && port >= m->router_hi)
		m->router_hi = (uint16_t)(port + 1);
	return 0;
}

enum mdb_router mdb_router(const struct mdb *m, uint16_t port)
{
	return port < m->max_ports ? (enum mdb_router)m->router[port] : MDB_ROUTER_OFF;
}

uint64_t mdb_router_until(const struct mdb *m, uint16_t port)
{
	return port < m->max_ports ? m->router_til[port] : 0;
}

void mdb_heard_query(struct mdb *m, enum mdb_family fam, uint16_t port, uint64_t now)
{
	m->stats.queries++;
	m->other_til[fam] = now + MDB_OTHER_QUERIER_NS;
	if (port < m->max_ports) {
		m->router_til[port] = now + MDB_ROUTER_NS;
		if (port >= m->router_hi)
			m->router_hi = (uint16_t)(port + 1);
	}
}

void mdb_set_querier(struct mdb *m, bool on, uint64_t now)
{
	if (on && !m->querier)
		for (int f = 0; f < MDB_FAMILY__MAX; f++) {
			m->next_query[f] = now;
			m->startup_left[f] = MDB_STARTUP_QUERIES;
		}
	m->querier = on;
}

bool mdb_querier(const struct mdb *m)
{
	return m->querier;
}

bool mdb_query_due(struct mdb *m, enum mdb_family fam, uint64_t now)
{
	/* another querier (a multicast router, a switch's) is heard: it queries, not this one,
	 * until it has been silent for the other querier present interval */
	if (!m->querier || now < m->next_query[fam] || m->other_til[fam] > now)
		return false;
	if (m->startup_left[fam])
		m->startup_left[fam]--;
	m->next_query[fam] = now +
			     (m->startup_left[fam] ? MDB_STARTUP_QUERY_NS : MDB_QUERY_INTERVAL_NS);
	m->stats.sent++;
	return true;
}

bool mdb_next(const struct mdb *m, uint32_t *cursor, uint64_t now, struct mdb_entry *e)
{
	for (uint32_t i = *cursor; i < m->max; i++) {
		const struct mdb_slot *s = &m->slots[i];

		if (!s->used || s->expires <= now)
			continue;
		e->group = s->group;
		e->vid = s->vid;
		e->port = s->port;
		e->expires = s->expires;
		*cursor = i + 1;
		return true;
	}
	*cursor = m->max;
	return false;
}

uint32_t mdb_count(const struct mdb *m)
{
	return m->n;
}

uint32_t mdb_max(const struct mdb *m)
{
	return m->max;
}

const struct mdb_stats *mdb_stats(const struct mdb *m)
{
	return &m->stats;
}

struct mdb_stats *mdb_stats_mut(struct mdb *m)
{
	return &m->stats;
}
