/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdb.c - the forwarding database: an open-addressing table of (VID, MAC) to port */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/fdb.h"
#include "core/vlan.h"
#include "util/compiler.h"

#define FDB_NIL UINT32_MAX
/* marked entries at the head of a port's list given a second chance, per eviction */
#define FDB_SECOND_CHANCES 8

/*
 * A slot's key packs the VID above the 48-bit MAC. A valid entry's MAC is
 * never zero, so key 0 marks an empty slot. @home is kept so that moving
 * entries on deletion needs no hashing. A dynamic entry is on its port's
 * list through @prev and @next (slot numbers); @referenced is set when it
 * is refreshed, cleared when eviction passes it over.
 */
struct fdb_slot {
	uint64_t key;
	uint64_t seen;
	uint32_t prev, next;
	uint32_t home;
	uint16_t port;
	bool is_static;
	bool referenced;
};

/* a port's learned entries: count, limit, list of slots oldest first, evictions */
struct fdb_port {
	uint32_t learned;
	uint32_t limit;
	uint32_t head, tail;
	uint64_t evicted;
};

struct fdb {
	struct fdb_slot *slots;
	size_t mask;
	unsigned shift;
	struct siphash_key key;
	uint64_t ageing;
	uint32_t max_learned;
	uint32_t max_static;
	uint16_t n_ports;
	size_t age_cursor;
	struct fdb_port *ports;
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

/* SipHash-1-3: the rounds hash tables use where speed matters */
#define FDB_SIPHASH_C 1
#define FDB_SIPHASH_D 3

/* the top bits of a keyed hash: without the key nobody can aim at a slot */
static inline size_t fdb_home(const struct fdb *fdb, uint64_t key)
{
	return (size_t)(siphash_u64(&fdb->key, key, FDB_SIPHASH_C, FDB_SIPHASH_D) >> fdb->shift);
}

static inline bool fdb_expired(const struct fdb *fdb, const struct fdb_slot *s, uint64_t now)
{
	return !s->is_static && now >= s->seen && now - s->seen >= fdb->ageing;
}

static inline bool fdb_port_full(const struct fdb *fdb, uint16_t port)
{
	const struct fdb_port *p = &fdb->ports[port];

	return p->limit != FDB_NO_LIMIT && p->learned >= p->limit;
}

/* Return: the slot holding @key, or the empty slot where it would go */
static inline size_t fdb_find_from(const struct fdb *fdb, uint64_t key, size_t i)
{
	while (fdb->slots[i].key && fdb->slots[i].key != key)
		i = (i + 1) & fdb->mask;
	return i;
}

static inline size_t fdb_find(const struct fdb *fdb, uint64_t key)
{
	return fdb_find_from(fdb, key, fdb_home(fdb, key));
}

/* Put dynamic slot @i at the tail of its port's list and count it there. */
static void fdb_link(struct fdb *fdb, uint32_t i)
{
	struct fdb_slot *s = &fdb->slots[i];
	struct fdb_port *p = &fdb->ports[s->port];

	s->prev = p->tail;
	s->next = FDB_NIL;
	if (p->tail == FDB_NIL)
		p->head = i;
	else
		fdb->slots[p->tail].next = i;
	p->tail = i;
	p->learned++;
}

static void fdb_unlink(struct fdb *fdb, uint32_t i)
{
	struct fdb_slot *s = &fdb->slots[i];
	struct fdb_port *p = &fdb->ports[s->port];

	if (s->prev == FDB_NIL)
		p->head = s->next;
	else
		fdb->slots[s->prev].next = s->next;
	if (s->next == FDB_NIL)
		p->tail = s->prev;
	else
		fdb->slots[s->next].prev = s->prev;
	p->learned--;
}

/* An entry just moved into slot @to: point its list neighbours there. */
static void fdb_relink(struct fdb *fdb, uint32_t to)
{
	struct fdb_slot *s = &fdb->slots[to];
	struct fdb_port *p = &fdb->ports[s->port];

	if (s->is_static)
		return;
	if (s->prev == FDB_NIL)
		p->head = to;
	else
		fdb->slots[s->prev].next = to;
	if (s->next == FDB_NIL)
		p->tail = to;
	else
		fdb->slots[s->next].prev = to;
}

/*
 * The port holding the most learned entries, the lowest-numbered of equals.
 * A scan of the ports, only when the whole table is full: ports that can
 * fill it are those without a limit of their own (VM ports have one).
 */
static uint16_t fdb_top_port(const struct fdb *fdb)
{
	uint16_t top = 0;

	for (uint16_t p = 1; p < fdb->n_ports; p++)
		if (fdb->ports[p].learned > fdb->ports[top].learned)
			top = p;
	return top;
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
	fdb->ports = calloc(n_ports, sizeof(*fdb->ports));
	if (!fdb->slots || !fdb->ports) {
		fdb_free(fdb);
		return NULL;
	}
	fdb->mask = n_slots - 1;
	fdb->shift = 64 - bits;
	fdb->ageing = ageing_ns;
	fdb->max_learned = max_learned;
	fdb->max_static = max_static;
	fdb->n_ports = n_ports;
	for (uint16_t p = 0; p < n_ports; p++)
		fdb_port_reset(fdb, p);
	return fdb;
}

void fdb_free(struct fdb *fdb)
{
	if (!fdb)
		return;
	free(fdb->slots);
	free(fdb->ports);
	free(fdb);
}

int fdb_set_hash_key(struct fdb *fdb, const struct siphash_key *key)
{
	if (fdb->st.size)
		return -EBUSY;
	fdb->key = *key;
	return 0;
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
	fdb->ports[port].limit = limit;
	return 0;
}

uint32_t fdb_port_limit(const struct fdb *fdb, uint16_t port)
{
	return port < fdb->n_ports ? fdb->ports[port].limit : FDB_NO_LIMIT;
}

uint32_t fdb_port_learned(const struct fdb *fdb, uint16_t port)
{
	return port < fdb->n_ports ? fdb->ports[port].learned : 0;
}

uint64_t fdb_port_evicted(const struct fdb *fdb, uint16_t port)
{
	return port < fdb->n_ports ? fdb->ports[port].evicted : 0;
}

void fdb_port_reset(struct fdb *fdb, uint16_t port)
{
	if (port >= fdb->n_ports)
		return;
	fdb->ports[port] =
		(struct fdb_port){ .limit = FDB_NO_LIMIT, .head = FDB_NIL, .tail = FDB_NIL };
}

void fdb_probe(const struct fdb *fdb, const uint8_t *mac, uint16_t vid, struct fdb_probe *pr)
{
	pr->key = fdb_key(mac, vid);
	pr->home = fdb_home(fdb, pr->key);
}

void fdb_probe_pair(const struct fdb *fdb, const uint8_t *a, const uint8_t *b, uint16_t vid,
		    struct fdb_probe pr[2])
{
	uint64_t h[2];

	pr[0].key = fdb_key(a, vid);
	pr[1].key = fdb_key(b, vid);
	siphash_u64x2(&fdb->key, pr[0].key, pr[1].key, FDB_SIPHASH_C, FDB_SIPHASH_D, h);
	pr[0].home = (size_t)(h[0] >> fdb->shift);
	pr[1].home = (size_t)(h[1] >> fdb->shift);
}

uint16_t fdb_lookup_probe(const struct fdb *fdb, const struct fdb_probe *pr, uint64_t now)
{
	const struct fdb_slot *s = &fdb->slots[fdb_find_from(fdb, pr->key, pr->home)];

	if (!s->key || fdb_expired(fdb, s, now))
		return FDB_PORT_NONE;
	return s->port;
}

uint16_t fdb_lookup(const struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint64_t now)
{
	struct fdb_probe pr;

	fdb_probe(fdb, mac, vid, &pr);
	return fdb_lookup_probe(fdb, &pr, now);
}

static void fdb_insert(struct fdb *fdb, size_t i, uint64_t key, size_t home, uint16_t port,
		       bool is_static, uint64_t now)
{
	struct fdb_slot *s = &fdb->slots[i];

	s->key = key;
	s->seen = now;
	s->home = (uint32_t)home;
	s->port = port;
	s->is_static = is_static;
	s->referenced = false;
	fdb->st.size++;
	if (is_static) {
		fdb->st.n_static++;
	} else {
		fdb->st.n_learned++;
		fdb_link(fdb, (uint32_t)i);
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
		fdb_unlink(fdb, (uint32_t)i);
	}
	for (;;) {
		size_t home;

		j = (j + 1) & fdb->mask;
		if (!fdb->slots[j].key)
			break;
		home = fdb->slots[j].home;
		if (((j - home) & fdb->mask) >= ((j - i) & fdb->mask)) {
			fdb->slots[i] = fdb->slots[j];
			fdb_relink(fdb, (uint32_t)i);
			i = j;
		}
	}
	fdb->slots[i].key = 0;
}

/*
 * Make room on @port by evicting its least recently learned entry that was
 * not refreshed since; a refreshed one at the head goes to the tail instead,
 * at most FDB_SECOND_CHANCES times, then the head goes whatever it is.
 */
static void fdb_evict(struct fdb *fdb, uint16_t port)
{
	struct fdb_port *p = &fdb->ports[port];

	for (int n = 0; n < FDB_SECOND_CHANCES && p->head != p->tail; n++) {
		uint32_t h = p->head;

		if (!fdb->slots[h].referenced)
			break;
		fdb->slots[h].referenced = false;
		fdb_unlink(fdb, h);
		fdb_link(fdb, h);
	}
	p->evicted++;
	fdb_remove(fdb, p->head);
}

/*
 * Room for one more learned entry on @port: evict one of the port's own at
 * its limit, else one of the busiest port's at the bridge's limit.
 * Return: true if an entry was evicted (slots may have moved)
 */
static bool fdb_make_room(struct fdb *fdb, uint16_t port, bool new_entry)
{
	if (fdb_port_full(fdb, port)) {
		fdb_evict(fdb, port);
		fdb->st.evicted_port_limit++;
		return true;
	}
	if (new_entry && fdb->st.n_learned >= fdb->max_learned) {
		fdb_evict(fdb, fdb_top_port(fdb));
		fdb->st.evicted_bridge_limit++;
		return true;
	}
	return false;
}

enum fdb_learn_result fdb_learn(struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint16_t port,
				uint64_t now)
{
	struct fdb_probe pr;

	fdb_probe(fdb, mac, vid, &pr);
	return fdb_learn_probe(fdb, &pr, port, now);
}

enum fdb_learn_result fdb_learn_probe(struct fdb *fdb, const struct fdb_probe *pr, uint16_t port,
				      uint64_t now)
{
	uint64_t key = pr->key;
	size_t home = pr->home, i = fdb_find_from(fdb, key, home);
	struct fdb_slot *s = &fdb->slots[i];
	bool evicted;

	if (likely(s->key)) {
		if (s->is_static)
			return FDB_LEARN_STATIC;
		if (likely(s->port == port)) {
			s->seen = now;
			s->referenced = true;
			return FDB_LEARN_REFRESHED;
		}
		evicted = fdb_make_room(fdb, port, false);
		if (evicted)
			s = &fdb->slots[fdb_find_from(fdb, key, home)];
		fdb_unlink(fdb, (uint32_t)(s - fdb->slots));
		s->port = port;
		s->seen = now;
		s->referenced = false;
		fdb_link(fdb, (uint32_t)(s - fdb->slots));
		fdb->st.moved++;
		if (fdb->notify)
			fdb_tell(fdb, FDB_EV_MOVED, key, port);
		return evicted ? FDB_LEARN_EVICTED : FDB_LEARN_MOVED;
	}
	evicted = fdb_make_room(fdb, port, true);
	if (evicted)
		i = fdb_find_from(fdb, key, home);
	fdb_insert(fdb, i, key, home, port, false, now);
	fdb->st.learned++;
	if (fdb->notify)
		fdb_tell(fdb, FDB_EV_LEARNED, key, port);
	return evicted ? FDB_LEARN_EVICTED : FDB_LEARN_NEW;
}

int fdb_add_static(struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint16_t port, bool replace,
		   uint64_t now)
{
	uint64_t key;
	struct fdb_slot *s;
	size_t i, home;

	if (eth_is_multicast(mac) || eth_is_zero(mac) || vid > VLAN_VID_MAX || port >= fdb->n_ports)
		return -EINVAL;
	key = fdb_key(mac, vid);
	home = fdb_home(fdb, key);
	i = fdb_find_from(fdb, key, home);
	s = &fdb->slots[i];
	if (!s->key) {
		if (fdb->st.n_static >= fdb->max_static)
			return -ENOSPC;
		fdb_insert(fdb, i, key, home, port, true, now);
		return 0;
	}
	if (s->is_static) {
		if (!replace)
			return -EEXIST;
	} else {
		if (fdb->st.n_static >= fdb->max_static)
			return -ENOSPC;
		fdb->st.n_learned--;
		fdb_unlink(fdb, (uint32_t)i);
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

typedef bool fdb_match_fn(const struct fdb *, const struct fdb_slot *, const void *);

/*
 * Look at up to @max_slots slots from *@cursor (up to the end of the
 * table), removing those @match accepts. After a removal the slot is
 * looked at again: the backward shift may have moved an entry not yet
 * seen into it. Entries only ever move backwards, so within one call none
 * is missed; an entry shifted from the next slice into this one is still
 * looked at, since the slot it lands in is looked at again.
 */
static size_t fdb_remove_if(struct fdb *fdb, fdb_match_fn *match, const void *arg, size_t *cursor,
			    size_t max_slots)
{
	size_t removed = 0, i = *cursor, end = fdb->mask + 1;

	if (max_slots < end - i)
		end = i + max_slots;
	while (i < end) {
		const struct fdb_slot *s = &fdb->slots[i];

		if (s->key && match(fdb, s, arg)) {
			fdb_remove(fdb, i);
			removed++;
			continue;
		}
		i++;
	}
	*cursor = i;
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

size_t fdb_flush_slice(struct fdb *fdb, uint16_t port, uint16_t vid, bool with_static,
		       size_t *cursor, size_t max_slots)
{
	struct fdb_flush_filter f = { .port = port, .vid = vid, .with_static = with_static };

	return fdb_remove_if(fdb, fdb_flush_match, &f, cursor, max_slots);
}

size_t fdb_flush(struct fdb *fdb, uint16_t port, uint16_t vid, bool with_static)
{
	size_t cursor = 0;

	return fdb_flush_slice(fdb, port, vid, with_static, &cursor, SIZE_MAX);
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

size_t fdb_age_slice(struct fdb *fdb, uint64_t now, size_t max_slots)
{
	size_t n = 0;

	if (max_slots > fdb->mask + 1)
		max_slots = fdb->mask + 1;
	while (max_slots) {
		size_t from = fdb->age_cursor;

		n += fdb_remove_if(fdb, fdb_age_match, &now, &fdb->age_cursor, max_slots);
		max_slots -= fdb->age_cursor - from;
		if (fdb->age_cursor > fdb->mask)
			fdb->age_cursor = 0;
	}
	fdb->st.aged += n;
	return n;
}

size_t fdb_age(struct fdb *fdb, uint64_t now)
{
	size_t cursor = 0, n = fdb_remove_if(fdb, fdb_age_match, &now, &cursor, SIZE_MAX);

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

size_t fdb_slots(const struct fdb *fdb)
{
	return fdb->mask + 1;
}

size_t fdb_max_probe(const struct fdb *fdb)
{
	size_t max = 0;

	for (size_t i = 0; i <= fdb->mask; i++)
		if (fdb->slots[i].key && ((i - fdb->slots[i].home) & fdb->mask) > max)
			max = (i - fdb->slots[i].home) & fdb->mask;
	return max;
}

size_t fdb_memory(const struct fdb *fdb)
{
	return sizeof(*fdb) + (fdb->mask + 1) * sizeof(*fdb->slots) +
	       fdb->n_ports * sizeof(*fdb->ports);
}
