/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdb.c - the forwarding database: an open-addressing table of (VID, MAC) to port */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/fdb.h"
#include "core/vlan.h"
#include "util/compiler.h"

/*
 * A slot's key packs the VID above the 48-bit MAC. A valid entry's MAC is
 * never zero, so key 0 marks an empty slot.
 */
struct fdb_slot {
	uint64_t key;
	uint64_t seen;
	uint16_t port;
	bool is_static;
};

struct fdb {
	struct fdb_slot *slots;
	size_t mask;
	unsigned shift;
	uint64_t ageing;
	uint32_t max_learned;
	uint32_t max_static;
	uint16_t n_ports;
	uint32_t *port_learned;
	uint32_t *port_limit;
	struct fdb_stats st;
	void (*notify)(void *ctx, enum fdb_event ev, const uint8_t *mac, uint16_t vid,
		       uint16_t port);
	void *notify_ctx;
};

static inline uint64_t fdb_key(const uint8_t *mac, uint16_t vid)
{
	return (uint64_t)vid << 48 | (uint64_t)mac[0] << 40 | (uint64_t)mac[1] << 32 |
	       (uint64_t)mac[2] << 24 | (uint64_t)mac[3] << 16 | (uint64_t)mac[4] << 8 | mac[5];
}

/* Fibonacci hashing: the multiply spreads MAC and VID bits into the top bits taken. */
static inline size_t fdb_home(const struct fdb *fdb, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> fdb->shift);
}

static inline bool fdb_expired(const struct fdb *fdb, const struct fdb_slot *s, uint64_t now)
{
	return !s->is_static && now >= s->seen && now - s->seen >= fdb->ageing;
}

static inline bool fdb_port_full(const struct fdb *fdb, uint16_t port)
{
	return fdb->port_limit[port] != FDB_NO_LIMIT &&
	       fdb->port_learned[port] >= fdb->port_limit[port];
}

/* Return: the slot holding @key, or the empty slot where it would go */
static inline size_t fdb_find(const struct fdb *fdb, uint64_t key)
{
	size_t i = fdb_home(fdb, key);

	while (fdb->slots[i].key && fdb->slots[i].key != key)
		i = (i + 1) & fdb->mask;
	return i;
}

struct fdb *fdb_new(uint32_t max_learned, uint32_t max_static, uint16_t n_ports, uint64_t ageing_ns)
{
	uint64_t want, n_slots = 16;
	unsigned bits = 4;
	struct fdb *fdb;

	if (!max_learned || max_learned > (1u << 20) || max_static > (1u << 16) || !n_ports)
		return NULL;
	want = (max_learned + max_static) * 4ull / 3;
	while (n_slots < want) {
		n_slots <<= 1;
		bits++;
	}
	fdb = calloc(1, sizeof(*fdb));
	if (!fdb)
		return NULL;
	/* written now, not left to calloc's lazy zero pages: learning must not page-fault */
	fdb->slots = malloc(n_slots * sizeof(*fdb->slots));
	if (fdb->slots)
		memset(fdb->slots, 0, n_slots * sizeof(*fdb->slots));
	fdb->port_learned = calloc(n_ports, sizeof(*fdb->port_learned));
	fdb->port_limit = calloc(n_ports, sizeof(*fdb->port_limit));
	if (!fdb->slots || !fdb->port_learned || !fdb->port_limit) {
		fdb_free(fdb);
		return NULL;
	}
	fdb->mask = n_slots - 1;
	fdb->shift = 64 - bits;
	fdb->ageing = ageing_ns;
	fdb->max_learned = max_learned;
	fdb->max_static = max_static;
	fdb->n_ports = n_ports;
	return fdb;
}

void fdb_free(struct fdb *fdb)
{
	if (!fdb)
		return;
	free(fdb->slots);
	free(fdb->port_learned);
	free(fdb->port_limit);
	free(fdb);
}

void fdb_set_notify(struct fdb *fdb,
		    void (*fn)(void *ctx, enum fdb_event ev, const uint8_t *mac, uint16_t vid,
			       uint16_t port),
		    void *ctx)
{
	fdb->notify = fn;
	fdb->notify_ctx = ctx;
}

/* tell the notify function about the entry of @key on @port */
static void fdb_tell(const struct fdb *fdb, enum fdb_event ev, uint64_t key, uint16_t port)
{
	uint8_t mac[ETH_ALEN];

	for (int i = 0; i < ETH_ALEN; i++)
		mac[i] = (uint8_t)(key >> (8 * (ETH_ALEN - 1 - i)));
	fdb->notify(fdb->notify_ctx, ev, mac, (uint16_t)(key >> 48), port);
}

void fdb_set_ageing(struct fdb *fdb, uint64_t ageing_ns)
{
	fdb->ageing = ageing_ns;
}

uint64_t fdb_ageing(const struct fdb *fdb)
{
	return fdb->ageing;
}

int fdb_set_port_limit(struct fdb *fdb, uint16_t port, uint32_t limit)
{
	if (port >= fdb->n_ports)
		return -EINVAL;
	fdb->port_limit[port] = limit;
	return 0;
}

uint32_t fdb_port_limit(const struct fdb *fdb, uint16_t port)
{
	return port < fdb->n_ports ? fdb->port_limit[port] : FDB_NO_LIMIT;
}

uint32_t fdb_port_learned(const struct fdb *fdb, uint16_t port)
{
	return port < fdb->n_ports ? fdb->port_learned[port] : 0;
}

uint16_t fdb_lookup(const struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint64_t now)
{
	const struct fdb_slot *s = &fdb->slots[fdb_find(fdb, fdb_key(mac, vid))];

	if (!s->key || fdb_expired(fdb, s, now))
		return FDB_PORT_NONE;
	return s->port;
}

static void fdb_insert(struct fdb *fdb, size_t i, uint64_t key, uint16_t port, bool is_static,
		       uint64_t now)
{
	struct fdb_slot *s = &fdb->slots[i];

	s->key = key;
	s->seen = now;
	s->port = port;
	s->is_static = is_static;
	fdb->st.size++;
	if (is_static) {
		fdb->st.n_static++;
	} else {
		fdb->st.n_learned++;
		fdb->port_learned[port]++;
	}
}

/*
 * Empty slot @i and shift back the entries after it that probed past it,
 * so that every entry stays reachable from its home slot without tombstones.
 * An entry at j may fill the hole at i unless its home lies cyclically in (i, j].
 */
static void fdb_remove(struct fdb *fdb, size_t i)
{
	struct fdb_slot *s = &fdb->slots[i];
	size_t j = i;

	fdb->st.size--;
	if (s->is_static) {
		fdb->st.n_static--;
	} else {
		fdb->st.n_learned--;
		fdb->port_learned[s->port]--;
	}
	for (;;) {
		size_t home;

		j = (j + 1) & fdb->mask;
		if (!fdb->slots[j].key)
			break;
		home = fdb_home(fdb, fdb->slots[j].key);
		if (((j - home) & fdb->mask) >= ((j - i) & fdb->mask)) {
			fdb->slots[i] = fdb->slots[j];
			i = j;
		}
	}
	fdb->slots[i].key = 0;
}

enum fdb_learn_result fdb_learn(struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint16_t port,
				uint64_t now)
{
	uint64_t key = fdb_key(mac, vid);
	size_t i = fdb_find(fdb, key);
	struct fdb_slot *s = &fdb->slots[i];

	if (likely(s->key)) {
		if (s->is_static)
			return FDB_LEARN_STATIC;
		if (likely(s->port == port)) {
			s->seen = now;
			return FDB_LEARN_REFRESHED;
		}
		if (fdb_port_full(fdb, port)) {
			fdb->st.refused_port_limit++;
			return FDB_LEARN_REFUSED;
		}
		fdb->port_learned[s->port]--;
		fdb->port_learned[port]++;
		s->port = port;
		s->seen = now;
		fdb->st.moved++;
		if (fdb->notify)
			fdb_tell(fdb, FDB_EV_MOVED, key, port);
		return FDB_LEARN_MOVED;
	}
	if (fdb->st.n_learned >= fdb->max_learned) {
		fdb->st.refused_bridge_limit++;
		return FDB_LEARN_REFUSED;
	}
	if (fdb_port_full(fdb, port)) {
		fdb->st.refused_port_limit++;
		return FDB_LEARN_REFUSED;
	}
	fdb_insert(fdb, i, key, port, false, now);
	fdb->st.learned++;
	if (fdb->notify)
		fdb_tell(fdb, FDB_EV_LEARNED, key, port);
	return FDB_LEARN_NEW;
}

int fdb_add_static(struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint16_t port, bool replace,
		   uint64_t now)
{
	uint64_t key;
	struct fdb_slot *s;
	size_t i;

	if (eth_is_multicast(mac) || eth_is_zero(mac) || vid > VLAN_VID_MAX || port >= fdb->n_ports)
		return -EINVAL;
	key = fdb_key(mac, vid);
	i = fdb_find(fdb, key);
	s = &fdb->slots[i];
	if (!s->key) {
		if (fdb->st.n_static >= fdb->max_static)
			return -ENOSPC;
		fdb_insert(fdb, i, key, port, true, now);
		return 0;
	}
	if (s->is_static) {
		if (!replace)
			return -EEXIST;
	} else {
		if (fdb->st.n_static >= fdb->max_static)
			return -ENOSPC;
		fdb->st.n_learned--;
		fdb->port_learned[s->port]--;
		fdb->st.n_static++;
		s->is_static = true;
	}
	s->port = port;
	s->seen = now;
	return 0;
}

int fdb_del(struct fdb *fdb, const uint8_t *mac, uint16_t vid)
{
	size_t i = fdb_find(fdb, fdb_key(mac, vid));

	if (!fdb->slots[i].key)
		return -ENOENT;
	fdb_remove(fdb, i);
	return 0;
}

/*
 * Walk every slot, removing those @match accepts. After a removal the
 * slot is looked at again: the backward shift may have moved an entry
 * not yet seen into it. Entries only ever move backwards, so none is missed.
 */
static size_t fdb_remove_if(struct fdb *fdb,
			    bool (*match)(const struct fdb *, const struct fdb_slot *,
					  const void *),
			    const void *arg)
{
	size_t removed = 0, i = 0;

	while (i <= fdb->mask) {
		const struct fdb_slot *s = &fdb->slots[i];

		if (s->key && match(fdb, s, arg)) {
			fdb_remove(fdb, i);
			removed++;
			continue;
		}
		i++;
	}
	return removed;
}

struct fdb_flush_filter {
	uint16_t port;
	uint16_t vid;
	bool with_static;
};

static bool fdb_flush_match(const struct fdb *fdb, const struct fdb_slot *s, const void *arg)
{
	const struct fdb_flush_filter *f = arg;

	(void)fdb;
	return (f->port == FDB_FLUSH_ANY_PORT || s->port == f->port) &&
	       (f->vid == FDB_FLUSH_ANY_VID || (uint16_t)(s->key >> 48) == f->vid) &&
	       (f->with_static || !s->is_static);
}

size_t fdb_flush(struct fdb *fdb, uint16_t port, uint16_t vid, bool with_static)
{
	struct fdb_flush_filter f = { .port = port, .vid = vid, .with_static = with_static };

	return fdb_remove_if(fdb, fdb_flush_match, &f);
}

/* an expired entry, told of as it goes */
static bool fdb_age_match(const struct fdb *fdb, const struct fdb_slot *s, const void *arg)
{
	if (!fdb_expired(fdb, s, *(const uint64_t *)arg))
		return false;
	if (fdb->notify)
		fdb_tell(fdb, FDB_EV_AGED, s->key, s->port);
	return true;
}

size_t fdb_age(struct fdb *fdb, uint64_t now)
{
	size_t n = fdb_remove_if(fdb, fdb_age_match, &now);

	fdb->st.aged += n;
	return n;
}

bool fdb_next(const struct fdb *fdb, size_t *cursor, struct fdb_entry *e)
{
	for (size_t i = *cursor; i <= fdb->mask; i++) {
		const struct fdb_slot *s = &fdb->slots[i];

		if (!s->key)
			continue;
		for (int b = 0; b < ETH_ALEN; b++)
			e->mac[b] = (uint8_t)(s->key >> (40 - 8 * b));
		e->vid = (uint16_t)(s->key >> 48);
		e->port = s->port;
		e->is_static = s->is_static;
		e->seen = s->seen;
		*cursor = i + 1;
		return true;
	}
	*cursor = fdb->mask + 1;
	return false;
}

void fdb_get_stats(const struct fdb *fdb, struct fdb_stats *st)
{
	*st = fdb->st;
}

size_t fdb_memory(const struct fdb *fdb)
{
	return sizeof(*fdb) + (fdb->mask + 1) * sizeof(*fdb->slots) +
	       2u * fdb->n_ports * sizeof(uint32_t);
}
