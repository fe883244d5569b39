/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fdb.h - the forwarding database: (VID, MAC) to port, with learning, ageing and limits
 *
 * Theory of Operation
 * Entries are keyed by (VID, MAC): independent VLAN learning, so the same
 * MAC may live on different ports in different VLANs. A bridge with VLAN
 * filtering off uses VID 0 for everything.
 *
 * The table is an open-addressing hash table with linear probing, sized
 * once at creation for the most entries it may ever hold (the learned
 * limit plus the static limit) at a load of at most three quarters, so neither
 * learning nor lookup ever allocates. Deletion shifts the following run
 * back instead of leaving tombstones, so probe lengths never degrade.
 * The home slot is SipHash-1-3 of the key under a secret the caller gives
 * (fdb_set_hash_key(), random per bridge): source MACs are chosen by
 * whoever sends frames, and with a public hash a VM could pile its
 * addresses into one run of slots and make every probe, flush and ageing
 * sweep walk it.
 *
 * Dynamic entries are learned from source addresses; each remembers when
 * it was last seen. An entry is valid while now - seen < ageing time;
 * an expired entry is invisible to lookups (the destination is then
 * unknown and flooded), is refreshed in place if its station speaks again,
 * and is removed by the next fdb_age(). Static entries are added by the
 * user: they never age and learning never moves them.
 *
 * Limits: a bridge-wide limit on learned entries and an optional per-port
 * one. At a limit the new address is still learned, in the place of an
 * older one, as Open vSwitch does: at the port's own limit, the port's
 * least recently learned entry goes; at the bridge's limit, that of the
 * port holding the most learned entries. So a port flooding random source
 * addresses churns its own entries and, at worst, those of the ports
 * that hold as many as it does; a host that appears later is still
 * learned, and its unicast is not flooded. Refusing newcomers instead
 * would leave the table to whoever filled it first. Static entries are
 * never evicted. Each port's entries are on a list in the order they were
 * learned or moved; a refresh only marks the entry, and eviction gives a
 * marked entry at the head a second chance (it goes to the tail,
 * unmarked), a few times at most, so a busy station is not evicted while
 * learning costs no list work per frame.
 *
 * Sweeps: fdb_age_slice() and fdb_flush_slice() look at a bounded number
 * of slots per call and resume where they stopped, so a caller holding a
 * lock the datapath also needs can let it run between slices.
 *
 * Time is passed in by the caller (nanoseconds of any monotonic clock).
 */
#ifndef KVNET_CORE_FDB_H
#define KVNET_CORE_FDB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/eth.h"
#include "core/siphash.h"

#define FDB_AGEING_DEFAULT_NS (300ull * 1000000000ull)
#define FDB_MAX_LEARNED_DEFAULT 65536
#define FDB_MAX_STATIC_DEFAULT 4096
#define FDB_PORT_NONE 0xffff
#define FDB_NO_LIMIT 0

struct fdb;

/**
 * struct fdb_stats - counters of the whole table
 * @size:		entries now in the table, static and dynamic, expired or not
 * @n_static:		static entries now
 * @n_learned:		dynamic entries now
 * @learned:		addresses learned (new entries) since creation
 * @moved:		stations re-learned on another port
 * @evicted_bridge_limit: entries evicted to learn an address at the bridge's limit
 * @evicted_port_limit:	entries evicted to learn (or move) an address at a port's limit
 * @aged:		dynamic entries removed by fdb_age()
 */
struct fdb_stats {
	uint64_t size;
	uint64_t n_static;
	uint64_t n_learned;
	uint64_t learned;
	uint64_t moved;
	uint64_t evicted_bridge_limit;
	uint64_t evicted_port_limit;
	uint64_t aged;
};

/**
 * struct fdb_entry - one entry as read out by fdb_next()
 * @mac:	station address
 * @vid:	VLAN (0 on a bridge without VLAN filtering)
 * @port:	port the station is on
 * @is_static:	added by the user, never ages
 * @seen:	when it was learned or last refreshed (static: when added)
 */
struct fdb_entry {
	uint8_t mac[ETH_ALEN];
	uint16_t vid;
	uint16_t port;
	bool is_static;
	uint64_t seen;
};

/* what fdb_learn() did */
enum fdb_learn_result {
	FDB_LEARN_NEW,	     /* new dynamic entry */
	FDB_LEARN_REFRESHED, /* existing entry on this port, time updated */
	FDB_LEARN_MOVED,     /* dynamic entry moved from another port */
	FDB_LEARN_STATIC,    /* a static entry has this key; left alone */
	FDB_LEARN_EVICTED,   /* new or moved, in the place of an entry evicted at a limit */
};

/**
 * fdb_new() - create a table
 * @max_learned:	bridge-wide limit on dynamic entries (1..1048576)
 * @max_static:		limit on static entries (0..65536)
 * @n_ports:		ports are numbered 0..@n_ports - 1
 * @ageing_ns:		ageing time; 0 makes learned entries expire at once
 *
 * Return: the table, or NULL on a bad argument or no memory
 */
struct fdb *fdb_new(uint32_t max_learned, uint32_t max_static, uint16_t n_ports,
		    uint64_t ageing_ns);

/** fdb_free() - free the table; NULL is fine */
void fdb_free(struct fdb *fdb);

/**
 * fdb_set_hash_key() - key the table's hash with a secret
 * @key:	random bytes the caller got (core/ makes no system calls)
 *
 * A table starts with an all-zero key: fine for tests, not for a switch.
 * Return: 0, or -EBUSY if the table is not empty (its entries would be lost)
 */
int fdb_set_hash_key(struct fdb *fdb, const struct siphash_key *key);

void fdb_set_ageing(struct fdb *fdb, uint64_t ageing_ns);

/* what fdb_set_notify()'s function hears of */
enum fdb_event {
	FDB_EV_LEARNED,
	FDB_EV_MOVED,
	FDB_EV_AGED,
};

/**
 * fdb_set_notify() - have @fn(@ctx, ...) called when an address is learned, moves to
 * another port, or ages out (not for refreshes, flushes, evictions at a limit or static
 * entries); NULL for none.
 * @fn runs in the caller of fdb_learn() and fdb_age(), so it must be as quick as they are.
 */
void fdb_set_notify(struct fdb *fdb,
		    void (*fn)(void *ctx, enum fdb_event ev, const uint8_t *mac, uint16_t vid,
			       uint16_t port),
		    void *ctx);
uint64_t fdb_ageing(const struct fdb *fdb);

/**
 * fdb_set_port_limit() - limit the dynamic entries learned on @port
 * @limit:	FDB_NO_LIMIT for none. Entries already above a new limit stay.
 * Return: 0, or -EINVAL for a bad port
 */
int fdb_set_port_limit(struct fdb *fdb, uint16_t port, uint32_t limit);

/** fdb_port_limit() - the learn limit of @port, FDB_NO_LIMIT for none */
uint32_t fdb_port_limit(const struct fdb *fdb, uint16_t port);

/** fdb_port_learned() - dynamic entries now on @port */
uint32_t fdb_port_learned(const struct fdb *fdb, uint16_t port);

/** fdb_port_evicted() - entries of @port evicted at a limit since the port was added */
uint64_t fdb_port_evicted(const struct fdb *fdb, uint16_t port);

/**
 * fdb_port_reset() - forget @port's limit and counters, for a new port of that number
 * Its entries must have been flushed first.
 */
void fdb_port_reset(struct fdb *fdb, uint16_t port);

/**
 * fdb_lookup() - port of a valid entry for (@vid, @mac)
 * Return: the port, or FDB_PORT_NONE if there is no entry or it has expired
 */
uint16_t fdb_lookup(const struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint64_t now);

/**
 * struct fdb_probe - a (VLAN, MAC) key hashed ahead of its lookup or learn
 *
 * The keyed hash is most of the cost of either (see fdb_home()): a frame needs two,
 * its source's and its destination's, and fdb_probe_pair() computes them together.
 * A probe stays valid while the table's hash key does (entries may come and go).
 */
struct fdb_probe {
	uint64_t key;
	size_t home;
};

/** fdb_probe() - @pr for (@vid, @mac) */
void fdb_probe(const struct fdb *fdb, const uint8_t *mac, uint16_t vid, struct fdb_probe *pr);

/** fdb_probe_pair() - @pr[0] for (@vid, @a) and @pr[1] for (@vid, @b), hashed at once */
void fdb_probe_pair(const struct fdb *fdb, const uint8_t *a, const uint8_t *b, uint16_t vid,
		    struct fdb_probe pr[2]);

/** fdb_lookup_probe() - fdb_lookup() of the key in @pr */
uint16_t fdb_lookup_probe(const struct fdb *fdb, const struct fdb_probe *pr, uint64_t now);

/** fdb_learn_probe() - fdb_learn() of the key in @pr */
enum fdb_learn_result fdb_learn_probe(struct fdb *fdb, const struct fdb_probe *pr, uint16_t port,
				      uint64_t now);

/**
 * fdb_learn() - learn or refresh that @mac was seen on @port in @vid
 *
 * The caller has checked @mac is neither multicast nor zero. At a limit an
 * older entry is evicted to make room (see the top of this file).
 * Return: what was done
 */
enum fdb_learn_result fdb_learn(struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint16_t port,
				uint64_t now);

/**
 * fdb_add_static() - add a static entry, as `bridge fdb add|replace ... static`
 * @replace:	if an entry exists (static or dynamic), point it at @port and make
 *		it static; if false, an existing static entry is an error and an
 *		existing dynamic one is made static
 *
 * Return: 0; -EINVAL for a multicast or zero @mac, a VID over 4094 or a bad
 * port; -EEXIST; -ENOSPC at the static limit
 */
int fdb_add_static(struct fdb *fdb, const uint8_t *mac, uint16_t vid, uint16_t port, bool replace,
		   uint64_t now);

/**
 * fdb_del() - delete the entry for (@vid, @mac), static or dynamic
 * Return: 0, or -ENOENT
 */
int fdb_del(struct fdb *fdb, const uint8_t *mac, uint16_t vid);

#define FDB_FLUSH_ANY_PORT 0xffff
#define FDB_FLUSH_ANY_VID 0xffff

/**
 * fdb_flush() - delete entries matching a port and a VLAN
 * @port:		a port, or FDB_FLUSH_ANY_PORT
 * @vid:		a VID, or FDB_FLUSH_ANY_VID
 * @with_static:	static entries go too (a port being removed); else dynamic only
 *
 * Return: number of entries deleted
 */
size_t fdb_flush(struct fdb *fdb, uint16_t port, uint16_t vid, bool with_static);

/**
 * fdb_flush_slice() - fdb_flush() over at most @max_slots slots from *@cursor
 * @cursor:	0 to start; advanced; the flush is done when it equals fdb_slots()
 *
 * An entry the table moves behind the cursor between two slices (a
 * deletion shifts the run after it back) is missed by that flush; it is
 * dynamic or static as it was and ages as usual.
 * Return: number of entries deleted by this slice
 */
size_t fdb_flush_slice(struct fdb *fdb, uint16_t port, uint16_t vid, bool with_static,
		       size_t *cursor, size_t max_slots);

/**
 * fdb_age() - remove dynamic entries that have expired at @now, in one sweep
 * Return: number removed (also added to the aged counter)
 */
size_t fdb_age(struct fdb *fdb, uint64_t now);

/**
 * fdb_age_slice() - fdb_age() over the next @max_slots slots
 *
 * Each call resumes where the last one stopped and wraps around, so calls
 * of N slots sweep the whole table every fdb_slots() / N calls. Expired
 * entries are invisible to lookups already; the sweep only frees them.
 * Return: number removed (also added to the aged counter)
 */
size_t fdb_age_slice(struct fdb *fdb, uint64_t now, size_t max_slots);

/** fdb_slots() - the table's number of slots (the end of a sweep's cursor) */
size_t fdb_slots(const struct fdb *fdb);

/** fdb_max_probe() - the longest distance of an entry from its home slot, for tests */
size_t fdb_max_probe(const struct fdb *fdb);

/**
 * fdb_next() - read entries one by one
 * @cursor:	0 to start; advanced by each call
 * @e:		filled with the next entry
 *
 * Entries come in table order. Changing the table between calls may skip
 * or repeat entries, never crash.
 * Return: true if @e was filled, false at the end
 */
bool fdb_next(const struct fdb *fdb, size_t *cursor, struct fdb_entry *e);

/** fdb_get_stats() - copy the table's counters into @st */
void fdb_get_stats(const struct fdb *fdb, struct fdb_stats *st);

/** fdb_memory() - bytes the table allocated, for sizing */
size_t fdb_memory(const struct fdb *fdb);

#endif
