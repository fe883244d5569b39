/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mdb.h - the multicast database: which ports listen to which IP multicast group, per VLAN
 *
 * Theory of Operation
 * IGMP/MLD snooping (RFC 4541), as the Linux bridge does it. Every membership is
 * a (VID, group, port) triple with its own timer: a report (re)starts it at the
 * membership interval (260 s by default), a leave shortens it to the last member
 * query time (2 s), and mdb_age() takes out what has run out. The table is a
 * fixed pool allocated by mdb_new(): at its limit a new group or member is
 * refused and counted, never allocated. A group's hash is keyed with the
 * bridge's secret so that chosen groups cannot pile into one chain.
 *
 * One port could take the whole pool and starve every other port's
 * listeners, so each port may have a limit of its own on its memberships
 * (all VLANs together), the kernel's mcast_max_groups (0: none, the
 * default here as there): a join past it is refused and counted on the
 * port (mdb_port_limited()), and the port's existing memberships stay.
 *
 * A port is a multicast router port for a while after a query came in on it
 * (mode auto, the default), always (on) or never (off). Snooped traffic goes to
 * listeners and router ports only while a querier exists for its family: this
 * bridge's own (mdb_set_querier()) or another one heard within the other
 * querier present interval (255 s). Without one, memberships cannot be kept
 * fresh, so everything floods, as on the kernel's bridge.
 *
 * mdb_snoop() (mdb_snoop.c) reads a frame and updates the table; the bridge
 * asks mdb_targets() which ports a frame goes to. Time is passed in; nothing
 * here reads a clock or allocates after mdb_new().
 */
#ifndef KVNET_CORE_MDB_H
#define KVNET_CORE_MDB_H

#include <stdbool.h>
#include <stdint.h>

#include "core/frame.h"
#include "core/siphash.h"

#define MDB_SEC 1000000000ull
#define MDB_MAX_DEFAULT 4096		      /* memberships, as the kernel's hash_max */
#define MDB_MAX_LIMIT 65536		      /* what mdb_new() takes at most */
#define MDB_MEMBERSHIP_NS (260 * MDB_SEC)     /* multicast_membership_interval */
#define MDB_LAST_MEMBER_NS (2 * MDB_SEC)      /* last_member_count x last_member_interval */
#define MDB_OTHER_QUERIER_NS (255 * MDB_SEC)  /* multicast_querier_interval */
#define MDB_ROUTER_NS (255 * MDB_SEC)	      /* a learned router port's timer, the same */
#define MDB_QUERY_INTERVAL_NS (125 * MDB_SEC) /* multicast_query_interval */
#define MDB_STARTUP_QUERY_NS (MDB_QUERY_INTERVAL_NS / 4) /* multicast_startup_query_interval */
#define MDB_STARTUP_QUERIES 2				 /* multicast_startup_query_count */
/*
 * A VM port's mcast_max_groups (vmport/; mdb_set_max_groups()). A guest joins a few groups
 * of its own (a solicited-node group for each IPv6 address, mDNS, LLMNR) and an IPTV or
 * cluster receiver tens: 256 is far above what an ordinary guest needs, and at most a
 * sixteenth of the default table, so one VM cannot starve its neighbours' listeners
 */
#define MDB_VM_MAX_GROUPS 256

/* an IP multicast group: IPv4 in the first 4 bytes of @addr, the rest zero */
struct mdb_group {
	uint8_t addr[16];
	bool v6;
};

/* a port's multicast router mode, the kernel's multicast_router 0, 1, 2 */
enum mdb_router {
	MDB_ROUTER_OFF,
	MDB_ROUTER_AUTO, /* a router port for MDB_ROUTER_NS after each query in */
	MDB_ROUTER_ON,
	MDB_ROUTER__MAX,
};

/** mdb_router_name() - "off", "auto", "on", or NULL */
const char *mdb_router_name(enum mdb_router r);

/* the two families, for the querier and its counters */
enum mdb_family {
	MDB_IPV4,
	MDB_IPV6,
	MDB_FAMILY__MAX,
};

/* what mdb_snoop() made of a frame */
enum mdb_verdict {
	MDB_FLOOD,  /* not snooped: not IP multicast, link-local, or snooping has no say */
	MDB_DATA,   /* multicast data to a group: to its listeners and the router ports */
	MDB_REPORT, /* a membership report or leave: to the router ports */
	MDB_QUERY,  /* a query: floods; its port is a router port now */
	MDB_BAD,    /* IGMP or MLD that does not parse: dropped */
};

/**
 * struct mdb_stats - counters of one bridge's snooping
 * @reports:	membership reports (each group record of an IGMPv3/MLDv2 one)
 * @leaves:	leaves (IGMPv2 leave, MLD done, an INCLUDE{} record)
 * @queries:	queries heard
 * @refused:	joins refused because the table was full
 * @limited:	joins refused because their port was at its mcast_max_groups
 * @expired:	memberships that ran out
 * @bad:	IGMP/MLD messages that did not parse (each also a drop of its port)
 * @sent:	queries this bridge's querier made
 */
struct mdb_stats {
	uint64_t reports;
	uint64_t leaves;
	uint64_t queries;
	uint64_t refused;
	uint64_t limited;
	uint64_t expired;
	uint64_t bad;
	uint64_t sent;
};

/* one membership, as mdb_next() lists them */
struct mdb_entry {
	struct mdb_group group;
	uint16_t vid;
	uint16_t port;
	uint64_t expires; /* ns of the caller's clock */
};

struct mdb;

/**
 * mdb_new() - an empty table
 * @max:	memberships it holds, 1..MDB_MAX_LIMIT
 * @max_ports:	ports of the bridge
 * @key:	secret of the group hash (random bytes from the caller)
 * Return: the table, or NULL on a bad size or no memory
 */
struct mdb *mdb_new(uint32_t max, uint16_t max_ports, const struct siphash_key *key);
void mdb_free(struct mdb *m);

/**
 * mdb_join() - port @port listens to @g in @vid: its timer restarts at the membership interval
 * Return: 0, -ENOSPC (counted as refused) when the table is full, or -E2BIG (counted as
 * limited, and on the port) when the membership is new and @port has mcast_max_groups of them
 */
int mdb_join(struct mdb *m, uint16_t vid, const struct mdb_group *g, uint16_t port, uint64_t now);

/**
 * mdb_leave() - @port leaves @g in @vid: its membership ends within MDB_LAST_MEMBER_NS,
 * unless a report refreshes it first (another listener behind the same port)
 */
void mdb_leave(struct mdb *m, uint16_t vid, const struct mdb_group *g, uint16_t port, uint64_t now);

/**
 * mdb_flush_port() - forget @port's memberships (all VIDs if @vid is 0) and, with @vid 0,
 * its learned router timer; its router mode stays
 */
void mdb_flush_port(struct mdb *m, uint16_t port, uint16_t vid);

/**
 * mdb_port_reset() - @port is new or gone: no memberships, router mode auto, no limit, its
 * counters zero
 */
void mdb_port_reset(struct mdb *m, uint16_t port);

/**
 * mdb_set_max_groups() - at most @max memberships (all VIDs) for @port, 0 for no limit; what
 * it has beyond a lowered limit stays until it leaves or runs out (as the kernel's)
 * Return: 0, or -EINVAL for a port out of range or @max over MDB_MAX_LIMIT
 */
int mdb_set_max_groups(struct mdb *m, uint16_t port, uint32_t max);
/* @port's mcast_max_groups (0: none), its memberships now (mcast_n_groups), joins it was refused */
uint32_t mdb_max_groups(const struct mdb *m, uint16_t port);
uint32_t mdb_n_groups(const struct mdb *m, uint16_t port);
uint64_t mdb_port_limited(const struct mdb *m, uint16_t port);
/**
 * mdb_port_limited_news() - joins refused to @port by its limit since the last call: the
 * caller logs a burst once
 */
uint64_t mdb_port_limited_news(struct mdb *m, uint16_t port);

/** mdb_flush() - forget every membership */
void mdb_flush(struct mdb *m);

/**
 * mdb_age() - take out the memberships that have run out; call about once a second
 * Return: how many
 */
uint32_t mdb_age(struct mdb *m, uint64_t now);

/**
 * mdb_snoop() - read @f, received on @port in @vid, and learn from it
 * @g:		for MDB_DATA, the group it is sent to
 * @fam:	for every verdict but MDB_FLOOD and MDB_BAD, its family
 *
 * A report joins, a leave leaves, a query marks @port a router port (mode auto)
 * and tells that a querier exists. The frame is only read.
 */
enum mdb_verdict mdb_snoop(struct mdb *m, const struct frame *f, uint16_t port, uint16_t vid,
			   uint64_t now, struct mdb_group *g, enum mdb_family *fam);

/** mdb_querier_exists() - is there a querier for @fam: this bridge's, or one heard lately */
bool mdb_querier_exists(const struct mdb *m, enum mdb_family fam, uint64_t now);

/**
 * mdb_targets() - mark in @mask (one byte a port, all zero on entry) the ports a frame
 * goes to: the listeners of @g in @vid (when @g is not NULL) and the router ports
 */
void mdb_targets(const struct mdb *m, uint16_t vid, const struct mdb_group *g, uint64_t now,
		 uint8_t *mask);

/* router ports */
int mdb_set_router(struct mdb *m, uint16_t port, enum mdb_router mode);
enum mdb_router mdb_router(const struct mdb *m, uint16_t port);
/** mdb_router_until() - when a learned router port stops being one (0: never learned) */
uint64_t mdb_router_until(const struct mdb *m, uint16_t port);
bool mdb_is_router(const struct mdb *m, uint16_t port, uint64_t now);

/**
 * mdb_set_querier() - this bridge's querier on or off; on, the first query is due at once
 * and the next MDB_STARTUP_QUERIES - 1 at the startup interval, then every query interval
 */
void mdb_set_querier(struct mdb *m, bool on, uint64_t now);
bool mdb_querier(const struct mdb *m);

/**
 * mdb_query_due() - is this bridge's query for @fam due; if so, the next one is scheduled
 * and the query counted as sent (the caller builds it with mdb_build_query()). Never while
 * another querier for @fam has been heard within MDB_OTHER_QUERIER_NS: this bridge's,
 * sending from 0.0.0.0, would lose any election, so it stays quiet as a snooping switch's
 * querier does, and takes over when the other falls silent
 */
bool mdb_query_due(struct mdb *m, enum mdb_family fam, uint64_t now);

/**
 * mdb_build_query() - write a general query into @f: IGMPv2 from 0.0.0.0, or MLDv1 from
 * the link-local address made of @mac (EUI-64), to all hosts, from @mac
 * Return: 0, or -1 if @f's buffer is too small
 */
int mdb_build_query(struct frame *f, enum mdb_family fam, const uint8_t mac[6]);

/**
 * mdb_next() - the membership after *@cursor (start at 0), expired ones left out
 * Return: true with @e filled, false at the end
 */
bool mdb_next(const struct mdb *m, uint32_t *cursor, uint64_t now, struct mdb_entry *e);

uint32_t mdb_count(const struct mdb *m);
uint32_t mdb_max(const struct mdb *m);
const struct mdb_stats *mdb_stats(const struct mdb *m);
/**
 * mdb_csum_add() - add @n bytes at @p to the one's complement sum @sum (RFC 1071), an odd
 * last byte as if followed by a zero; mdb_csum_fold() makes the checksum of a sum: 0 when
 * the bytes summed held a right one
 */
uint32_t mdb_csum_add(const uint8_t *p, uint32_t n, uint32_t sum);
uint16_t mdb_csum_fold(uint32_t sum);
/* for mdb_snoop.c: count a message of each kind */
struct mdb_stats *mdb_stats_mut(struct mdb *m);
/* for mdb_snoop.c: a query for @fam was heard on @port */
void mdb_heard_query(struct mdb *m, enum mdb_family fam, uint16_t port, uint64_t now);

#endif
