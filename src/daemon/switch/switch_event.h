/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_event.h - what happens to bridges, ports, networks, STP and the FDB, for subscribers
 *
 * Theory of Operation
 * Events are made in two threads: the control thread (bridges, ports,
 * networks) and the datapath thread (links, STP states, FDB). Both write
 * fixed-size records into one ring, under a mutex of its own held only for
 * the copy, so the datapath never waits for a subscriber and allocates
 * nothing; then an eventfd wakes the control thread, which drains the ring
 * (switch_event_drain()) and hands each record to its subscribers
 * (rpc/ctl_conn.c). When the ring is full a record is dropped and counted;
 * the count is reported with the next drain, as an event of its own.
 * Nothing is recorded while no one subscribes, and FDB events only while
 * someone asked for them (switch_event_want()): learning is per frame.
 */
#ifndef KVNET_DAEMON_SWITCH_SWITCH_EVENT_H
#define KVNET_DAEMON_SWITCH_SWITCH_EVENT_H

#include <stdbool.h>
#include <stdint.h>

/* the categories a subscriber picks, as bits */
enum switch_event_class {
	SWITCH_EVENT_BRIDGE = 1u << 0,
	SWITCH_EVENT_PORT = 1u << 1,
	SWITCH_EVENT_NETWORK = 1u << 2,
	SWITCH_EVENT_STP = 1u << 3,
	SWITCH_EVENT_FDB = 1u << 4,
};

enum switch_event_kind {
	SWITCH_EV_BRIDGE_ADDED,
	SWITCH_EV_BRIDGE_REMOVED,
	SWITCH_EV_PORT_ADDED,
	SWITCH_EV_PORT_REMOVED,
	SWITCH_EV_LINK_UP,
	SWITCH_EV_LINK_DOWN,
	SWITCH_EV_NET_DEFINED,
	SWITCH_EV_NET_UNDEFINED,
	SWITCH_EV_NET_STARTED,
	SWITCH_EV_NET_STOPPED,
	SWITCH_EV_STP_STATE,
	SWITCH_EV_FDB_LEARNED,
	SWITCH_EV_FDB_MOVED,
	SWITCH_EV_FDB_AGED,
	SWITCH_EV_LOST, /* made by switch_event_drain(): @count records were dropped */
};

/**
 * struct switch_event - one event
 * @kind:	what happened
 * @bridge:	the bridge, "" if none (a network not running)
 * @port:	the port, "" if none
 * @network:	the network (network events), "" otherwise; truncated past 63 characters
 * @mac:	the address (FDB events)
 * @vid:	its VLAN (FDB events)
 * @state:	the port's new STP state (enum bridge_port_state)
 * @role:	its STP role (enum stp_role)
 * @count:	records lost (SWITCH_EV_LOST)
 */
struct switch_event {
	enum switch_event_kind kind;
	char bridge[16];
	char port[16];
	char network[64];
	uint8_t mac[6];
	uint16_t vid;
	uint8_t state;
	uint8_t role;
	uint64_t count;
};

/** switch_event_class_of() - the category (enum switch_event_class) of @kind */
unsigned int switch_event_class_of(enum switch_event_kind kind);

/**
 * switch_event_init() - make the ring's eventfd
 * Return: the eventfd (readable when records wait), or a negative errno
 */
int switch_event_init(void);

/**
 * switch_event_want() - the categories somebody subscribes to now (a mask of enum
 * switch_event_class); nothing is recorded outside it. Control thread.
 */
void switch_event_want(unsigned int classes);

/**
 * switch_event_wanted() - is anyone subscribed to @class. Any thread; a relaxed read
 * Return: true if records of @class are kept
 */
bool switch_event_wanted(unsigned int classes);

/**
 * switch_event_post() - record @ev (copied) if its category is wanted; any thread, never
 * blocks for long nor allocates. A full ring drops it and counts it.
 */
void switch_event_post(const struct switch_event *ev);

/*
 * Shorthands: an event naming a bridge, a port (and its bridge), a network (and its
 * bridge, or NULL)
 */
void switch_event_bridge(enum switch_event_kind kind, const char *bridge);
void switch_event_port(enum switch_event_kind kind, const char *bridge, const char *port);
void switch_event_network(enum switch_event_kind kind, const char *network, const char *bridge);

/**
 * switch_event_drain() - take the records waiting (at most @max) into @out, after one
 * SWITCH_EV_LOST record if any were dropped since the last drain. Control thread.
 * Return: how many were stored in @out
 */
unsigned int switch_event_drain(struct switch_event *out, unsigned int max);

#endif
