/* SPDX-License-Identifier: GPL-2.0-or-later */
/* bridge.h - the forwarding pipeline: a burst in from one port, per-port bursts out
 *
 * Theory of Operation
 * A bridge is a set of ports (numbered 0..max_ports-1), each with a VLAN
 * membership (vlan.h), flags, an MTU and an 802.1D port state, and one FDB
 * (fdb.h). The caller owns every frame buffer. bridge_input() takes a burst
 * of frames received on one port and fills a struct bridge_out: for each
 * output port the list of frames to send, the link-local frames meant for
 * the control plane, and the spare buffers it used for copies. Nothing is
 * sent and nothing is freed here: when the caller has sent every list, all
 * the input frames and the used spares are free again.
 *
 * The steps every frame goes through, in this order (each drop is counted
 * on the ingress port under its cause; docs/forwarding.md has the detail):
 *  1. runt: shorter than 14 bytes
 *  2. port-state: the ingress port is disabled
 *  3. bad-offload: the virtio-net metadata contradicts the frame
 *  4. oversize: longer than MTU + 14 (+4 if tagged), or for GSO a segment over MTU
 *  5. bad-source: multicast or all-zero source address (the Linux bridge drops these)
 *  6. 01:80:C2:00:00:0X destination: handed to the control plane, never forwarded;
 *     except that with STP off 01:80:C2:00:00:00 (BPDUs) goes on like any
 *     other frame, as the Linux bridge does. With STP on, a BPDU on a port with
 *     BPDU guard is dropped instead (bpdu-guard) and trips the guard: the port is
 *     disabled until bridge_port_bpdu_reset()
 *  7. port-state: blocking or listening; then access-tagged: a tag of the frame's own on
 *     a port with the access guard (guard_stacked_tag())
 *  8. VLAN ingress (filtering bridges): 802.1ad on an 802.1Q bridge, no PVID, VID 4095,
 *     not a member. The bridge's VLAN protocol says which tag is its own: 802.1Q (C-VLAN
 *     bridge, the default) or 802.1ad (S-VLAN bridge, whose frames' C-tags are payload); a
 *     dot1q-tunnel port takes every frame it receives as untagged, in its PVID
 *  8b. dhcp-server, router-advert: on a port with the DHCP or RA guard (guard_classify())
 *  8c. port security (portsec.h): mac-spoof, ip-spoof, arp-spoof, nd-spoof, l2-other; a
 *     DHCPACK from a port without DHCP guard teaches the ports of its client's MAC its address;
 *     a DAD probe claims its target for its port unless another port holds it (nd-spoof)
 *  9. learning (port flag on, state learning or forwarding); on a VEPA or private bridge a
 *     frame in on an uplink with the source of a station here is a reflection: not learned,
 *     and on a private bridge dropped
 * 10. port-state: learning (learned, not forwarded)
 * 11. known unicast to its port; IP multicast (not link-local) with snooping on and a querier
 *     present goes to the group's listeners and the router ports, reports to the router ports
 *     only (mdb.h; bad IGMP/MLD is dropped: bad-igmp-mld); else flood to every eligible port of the VLAN (a flood first
 *     passes the ingress port's storm control: storm-*); on a VEPA or
 *     private bridge a station reaches only uplinks (a frame to another station is sent
 *     up as if unknown), an uplink only stations
 * 12. egress: tag kept, pushed or popped per egress port; a frame needing both
 *     forms is copied once into a spare buffer
 *
 * Frames move and are tagged in place: a flood is one frame listed for
 * several ports (frame->refs counts them).
 */
#ifndef KVNET_CORE_BRIDGE_H
#define KVNET_CORE_BRIDGE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/fdb.h"
#include "core/frame.h"
#include "core/mdb.h"
#include "core/portsec.h"
#include "core/vlan.h"

#define BRIDGE_BURST_MAX 64
#define BRIDGE_PORTS_MAX 1024
#define BRIDGE_MTU_DEFAULT 1500
#define BRIDGE_MTU_MIN 68
#define BRIDGE_MTU_MAX 65535

/* 802.1D port states, numbered as the Linux bridge numbers them */
enum bridge_port_state {
	BR_STATE_DISABLED = 0,
	BR_STATE_LISTENING = 1,
	BR_STATE_LEARNING = 2,
	BR_STATE_FORWARDING = 3,
	BR_STATE_BLOCKING = 4,
};

/* port flags */
#define BR_PORT_LEARNING (1u << 0)     /* learn source addresses */
#define BR_PORT_FLOOD (1u << 1)	       /* receives unknown unicast floods */
#define BR_PORT_MCAST_FLOOD (1u << 2)  /* receives multicast floods */
#define BR_PORT_BCAST_FLOOD (1u << 3)  /* receives broadcast floods */
#define BR_PORT_HAIRPIN (1u << 4)      /* frames may leave by the port they came in (VEPA) */
#define BR_PORT_ISOLATED (1u << 5)     /* never exchanges frames with another isolated port */
#define BR_PORT_DOT1Q_TUNNEL (1u << 6) /* every frame in is untagged: its tags are payload */
#define BR_PORT_BPDU_GUARD (1u << 7)   /* a BPDU in (STP on) disables the port: bridge_input() */
#define BR_PORT_ACCESS_GUARD (1u << 8) /* drops frames with a VLAN tag of their own (guard.h) */
#define BR_PORT_DHCP_GUARD (1u << 9)   /* drops DHCP server messages (guard.h) */
#define BR_PORT_RA_GUARD (1u << 10)    /* drops IPv6 Router Advertisements (guard.h) */
#define BR_PORT_FLAGS_DEFAULT                                                                      \
	(BR_PORT_LEARNING | BR_PORT_FLOOD | BR_PORT_MCAST_FLOOD | BR_PORT_BCAST_FLOOD)
/* what a VM port gets on top (vmport/); the access guard only on an access port */
#define BR_PORT_FLAGS_VM_GUARDS (BR_PORT_BPDU_GUARD | BR_PORT_DHCP_GUARD | BR_PORT_RA_GUARD)
#define BR_PORT_FLAGS_ALL ((1u << 11) - 1)

/*
 * How a bridge relays between its ports. 802.1Qbg names VEB and VEPA; private is
 * macvtap's. On VEPA and private bridges a port is either an uplink (to the adjacent
 * bridge, bridge_port_set_uplink()) or a station (a VM, the host port): a station's frame
 * goes out the uplinks only, whatever its destination, and an uplink's frame to the
 * stations only, by MAC. The
 * adjacent bridge may send a station's frame back (reflective relay, `hairpin on`): VEPA
 * delivers it to the other stations, never back to its own, and private drops it, so
 * private stations never meet at layer 2. Either way the reflection does not move the
 * station's address to the uplink.
 */
enum bridge_relay {
	BR_RELAY_VEB,	  /* every port may reach every other: an ordinary bridge */
	BR_RELAY_VEPA,	  /* stations reach each other only through the adjacent bridge */
	BR_RELAY_PRIVATE, /* stations reach only the uplinks, never each other */
	BR_RELAY__MAX,
};

/** bridge_relay_name() - "veb", "vepa", "private", or NULL */
const char *bridge_relay_name(enum bridge_relay r);

/* why a frame was dropped; names in bridge_drop_name() */
enum bridge_drop {
	BR_DROP_RUNT,		/* shorter than an Ethernet (or tagged) header */
	BR_DROP_PORT_STATE,	/* ingress port not in a state that passes it */
	BR_DROP_BAD_OFFLOAD,	/* virtio-net metadata inconsistent with the frame */
	BR_DROP_OVERSIZE,	/* longer than the ingress port's MTU allows */
	BR_DROP_BAD_SOURCE,	/* multicast or zero source address */
	BR_DROP_QINQ,		/* 802.1ad outer tag on an 802.1Q VLAN-filtering bridge */
	BR_DROP_NO_PVID,	/* untagged or priority-tagged, and the port has no PVID */
	BR_DROP_RESERVED_VID,	/* VID 4095 */
	BR_DROP_INGRESS_FILTER, /* tagged with a VID the port is not a member of */
	BR_DROP_SAME_PORT,	/* known unicast to the port it came from, no hairpin */
	BR_DROP_EGRESS_FILTER,	/* known unicast to a port not a member of the VLAN */
	BR_DROP_EGRESS_STATE,	/* known unicast to a port not forwarding */
	BR_DROP_ISOLATED,	/* known unicast between two isolated ports, or a VEPA/private
				 * station and a port it may not reach */
	BR_DROP_NO_DEST,	/* flooded, but no port was eligible */
	BR_DROP_NO_BUFFER,	/* no spare buffer for a differently tagged copy */
	BR_DROP_NO_HEADROOM,	/* no room before the frame to push a tag */
	BR_DROP_TX_OVERSIZE,	/* counted on the egress port: over its MTU */
	BR_DROP_BPDU_GUARD,	/* a BPDU on a port with BPDU guard (STP on): the guard trips */
	BR_DROP_ACCESS_TAGGED,	/* a tagged frame (VID != 0, or stacked tags) on an access guard */
	BR_DROP_DHCP_SERVER,	/* a DHCP server message from a port with DHCP guard */
	BR_DROP_ROUTER_ADV,	/* an IPv6 Router Advertisement from a port with RA guard */
	BR_DROP_STORM_BCAST,	/* broadcast over the port's storm control rate */
	BR_DROP_STORM_UNKNOWN,	/* unknown unicast over the port's storm control rate */
	BR_DROP_STORM_MCAST,	/* multicast over the port's storm control rate */
	BR_DROP_SHAPED_RX,	/* over the port's rate limit on what it sends in (shaper.h) */
	BR_DROP_SHAPED_TX,	/* counted on the egress port: over its rate limit out */
	BR_DROP_BAD_IGMP_MLD,	/* IGMP or MLD that does not parse (mdb_snoop.c) */
	BR_DROP_MAC_SPOOF,	/* port security: a source MAC not the port's (portsec.h) */
	BR_DROP_IP_SPOOF,	/* port security: an IPv4/IPv6 source not the port's */
	BR_DROP_ARP_SPOOF, /* port security: an ARP sender not the port's, or not request/reply */
	BR_DROP_ND_SPOOF,  /* port security: an NS/NA target or link-layer option not the port's */
	BR_DROP_L2_OTHER,  /* port security: an EtherType but IPv4, ARP, RARP and IPv6 */
	BR_DROP__MAX,
};

/* storm control's kinds of flooded frame, each with its own rate per port */
enum bridge_storm {
	BR_STORM_BCAST,
	BR_STORM_UNKNOWN,
	BR_STORM_MCAST,
	BR_STORM__MAX,
};

/** bridge_drop_name() - short name of a drop cause ("runt", "no-pvid", ...) */
const char *bridge_drop_name(enum bridge_drop d);

/** bridge_port_state_name() - "disabled", "listening", ... or NULL */
const char *bridge_port_state_name(enum bridge_port_state s);

/**
 * struct bridge_port_stats - counters of one port
 * @rx_frames, @rx_bytes:	every frame received, dropped or not
 * @tx_frames, @tx_bytes:	frames put in the port's output list
 * @rx_control:			link-local frames handed to the control plane
 * @drops:			per cause
 */
struct bridge_port_stats {
	uint64_t rx_frames;
	uint64_t rx_bytes;
	uint64_t tx_frames;
	uint64_t tx_bytes;
	uint64_t rx_control;
	uint64_t drops[BR_DROP__MAX];
};

/**
 * struct bridge_config - what a bridge is created with
 * @vlan_filtering:	802.1Q filtering on; off forwards every frame as it came
 * @max_ports:		1..BRIDGE_PORTS_MAX
 * @default_pvid:	PVID (untagged) a new port gets, 0 for none; used once filtering is on
 * @fdb_max_learned:	bridge-wide limit on learned entries
 * @fdb_max_static:	limit on static entries
 * @ageing_ns:		FDB ageing time
 * @fdb_hash_key:	secret of the FDB's hash, random bytes from the caller (the
 *			core makes no system calls); all zero from bridge_config_default()
 * @stp:		a spanning tree runs on the bridge: BPDUs go to the control
 *			list; off (the default) floods them like any other frame
 * @relay:		VEB (the default), VEPA or private
 * @vlan_proto:		the bridge's own tag: ETH_P_8021Q (the default) or ETH_P_8021AD
 * @mcast_snooping:	IGMP/MLD snooping (mdb.h), on by default as on the kernel's bridge
 * @mdb_max:		memberships the MDB holds (MDB_MAX_DEFAULT)
 */
struct bridge_config {
	bool vlan_filtering;
	bool stp;
	enum bridge_relay relay;
	uint16_t vlan_proto;
	uint16_t max_ports;
	uint16_t default_pvid;
	uint32_t fdb_max_learned;
	uint32_t fdb_max_static;
	uint64_t ageing_ns;
	struct siphash_key fdb_hash_key;
	bool mcast_snooping;
	uint32_t mdb_max;
};

/* frames for one output port */
struct bridge_tx {
	uint16_t n;
	struct frame *frames[BRIDGE_BURST_MAX];
};

/**
 * struct bridge_out - what bridge_input() produced
 * @n_active:	ports with frames to send
 * @active:	their numbers, in the order they were first given a frame
 * @tx:		output lists, indexed by port number
 * @n_control:	link-local frames for the control plane (frame->port says where from)
 * @control:	those frames
 * @n_clones:	spares used for copies this burst: the caller takes them back
 * @clones:	those spares
 * @n_spare:	the caller's empty frames (buffers of FRAME_BUF_SIZE) the core may copy into
 * @spare:	those frames; the core takes from the end
 */
struct bridge_out {
	uint16_t n_active;
	uint16_t *active;
	struct bridge_tx *tx;
	uint16_t n_control;
	struct frame *control[BRIDGE_BURST_MAX];
	uint16_t n_clones;
	struct frame *clones[BRIDGE_BURST_MAX];
	uint16_t n_spare;
	struct frame *spare[BRIDGE_BURST_MAX];
};

struct bridge;

/** bridge_config_default() - filtering on, 1024 ports, PVID 1, FDB defaults */
void bridge_config_default(struct bridge_config *c);

/**
 * bridge_new() - create a bridge with no ports
 * Return: the bridge, or NULL on a bad config or no memory
 */
struct bridge *bridge_new(const struct bridge_config *c);
void bridge_free(struct bridge *br);

/**
 * bridge_out_new() - output lists sized for @br's ports; free with bridge_out_free()
 * Return: NULL on no memory
 */
struct bridge_out *bridge_out_new(const struct bridge *br);
void bridge_out_free(struct bridge_out *out);

/**
 * bridge_input() - run a burst received on one port through the bridge
 * @br:		the bridge
 * @in_port:	port the frames came in on
 * @frames:	the frames; their buffers stay the caller's
 * @n:		1..BRIDGE_BURST_MAX
 * @now:	current time, nanoseconds of a monotonic clock
 * @out:	emptied, then filled (its spare list is only taken from)
 *
 * Each frame ends up in one or more output lists, in the control list, or
 * dropped and counted: exactly one of the three. Nothing is allocated.
 * @in_port must exist; if it does not, nothing happens (every refs is 0).
 */
void bridge_input(struct bridge *br, uint16_t in_port, struct frame **frames, unsigned n,
		  uint64_t now, struct bridge_out *out);

/**
 * bridge_age() - remove expired FDB entries; call about once a second
 * Return: how many were removed
 */
size_t bridge_age(struct bridge *br, uint64_t now);

/**
 * bridge_port_add() - add a port: forwarding, default flags, MTU 1500, the default PVID
 * Return: the new port's number (the lowest free), or -ENOSPC
 */
int bridge_port_add(struct bridge *br);

/**
 * bridge_port_del() - remove a port and every FDB entry pointing at it
 * Return: 0, or -ENOENT
 */
int bridge_port_del(struct bridge *br, uint16_t port);

bool bridge_port_exists(const struct bridge *br, uint16_t port);

/**
 * bridge_port_count_shaped() - count a frame the caller's rate limit (core/shaper.h) dropped
 * @rx:		true: received on @port and never given to bridge_input() (it counts as
 *		received, and as a drop "shaped-rx"); false: listed by bridge_input() for
 *		@port and not sent (no longer counted as sent; a drop "shaped-tx")
 * @len:	the frame's length
 * Nothing happens when @port does not exist.
 */
void bridge_port_count_shaped(struct bridge *br, uint16_t port, bool rx, uint32_t len);

/*
 * Setters return 0, -ENOENT for no such port (checked first), or -EINVAL for
 * a bad value. A flag in both @set and @clear ends up set.
 */
int bridge_port_set_flags(struct bridge *br, uint16_t port, uint32_t set, uint32_t clear);
int bridge_port_set_mtu(struct bridge *br, uint16_t port, uint32_t mtu);
/*
 * Disabling a port flushes its learned entries, as a link going down does, its memberships
 * and the IPv6 addresses port security learned for it.
 */
int bridge_port_set_state(struct bridge *br, uint16_t port, enum bridge_port_state state);
int bridge_port_set_learn_limit(struct bridge *br, uint16_t port, uint32_t limit);
/* An uplink of a VEPA or private bridge (enum bridge_relay); ignored on a VEB. */
int bridge_port_set_uplink(struct bridge *br, uint16_t port, bool on);
/*
 * Storm control: at most @rate frames/s (0: no limit, the default) of one kind flooded
 * from @port, a second's worth at once. Return: as the setters, -EINVAL over STORM_RATE_MAX
 */
int bridge_port_set_storm(struct bridge *br, uint16_t port, enum bridge_storm kind, uint32_t rate,
			  uint64_t now);
uint32_t bridge_port_storm(const struct bridge *br, uint16_t port, enum bridge_storm kind);
/*
 * BPDU guard. A tripped port stays disabled whatever bridge_port_set_state() asks (the
 * state asked for is kept) until bridge_port_bpdu_reset() takes it back to that state.
 * Return: 0 or -ENOENT
 */
/*
 * Port security (portsec.h): @cfg replaces the port's; what DHCP snooping learned for it is
 * kept while its MACs stay and no IPv4 address is given. Return: as the setters
 */
int bridge_port_set_portsec(struct bridge *br, uint16_t port, const struct portsec_cfg *cfg);
/*
 * What DHCP snooping would learn from a DHCPACK for @mac of @ip ending at @expires (ns), told
 * by the caller (a lease dnsmasq already gave). Return: 0, -ENOENT, or -EINVAL when the port
 * does not take it (no port security, not its MAC, addresses given)
 */
int bridge_port_portsec_learn(struct bridge *br, uint16_t port, const uint8_t mac[6],
			      const uint8_t ip[4], uint64_t expires);
/* the port's configuration and learned addresses; the port must exist */
const struct portsec *bridge_port_portsec(const struct bridge *br, uint16_t port);
bool bridge_port_bpdu_tripped(const struct bridge *br, uint16_t port);
int bridge_port_bpdu_reset(struct bridge *br, uint16_t port);

/* Getters; the port must exist. */
uint32_t bridge_port_flags(const struct bridge *br, uint16_t port);
uint32_t bridge_port_mtu(const struct bridge *br, uint16_t port);
enum bridge_port_state bridge_port_state(const struct bridge *br, uint16_t port);
bool bridge_port_uplink(const struct bridge *br, uint16_t port);
const struct vlan_port *bridge_port_vlan(const struct bridge *br, uint16_t port);
const struct bridge_port_stats *bridge_port_stats(const struct bridge *br, uint16_t port);

/*
 * VLAN membership of a port, as vlan_add(), vlan_del() and vlan_apply_spec();
 * a VID the port leaves takes the port's learned entries in it along.
 * Return: as those, or -ENOENT for no such port.
 */
int bridge_vlan_add(struct bridge *br, uint16_t port, uint16_t vid, bool pvid, bool untagged);
int bridge_vlan_del(struct bridge *br, uint16_t port, uint16_t vid);
int bridge_vlan_apply_spec(struct bridge *br, uint16_t port, const struct vlan_spec *spec);

bool bridge_vlan_filtering(const struct bridge *br);
/* Turning filtering on or off flushes learned entries: their VIDs change meaning. */
void bridge_set_vlan_filtering(struct bridge *br, bool on);
/* STP on: BPDUs (01:80:C2:00:00:00) go to the control list; off: they are forwarded */
bool bridge_stp(const struct bridge *br);
void bridge_set_stp(struct bridge *br, bool on);
/*
 * The relay of a bridge (enum bridge_relay). A change flushes learned entries: which port
 * may reach which changes. Return: 0, or -EINVAL for an unknown value
 */
int bridge_set_relay(struct bridge *br, enum bridge_relay relay);
enum bridge_relay bridge_relay(const struct bridge *br);
/*
 * The bridge's VLAN protocol, as the kernel bridge's vlan_protocol: ETH_P_8021Q or
 * ETH_P_8021AD. A change flushes learned entries. Return: 0, or -EINVAL for another value
 */
int bridge_set_vlan_proto(struct bridge *br, uint16_t proto);
uint16_t bridge_vlan_proto(const struct bridge *br);
uint16_t bridge_max_ports(const struct bridge *br);
struct fdb *bridge_fdb(struct bridge *br);
struct mdb *bridge_mdb(struct bridge *br);
const struct mdb *bridge_mdb_const(const struct bridge *br);

/* IGMP/MLD snooping on or off; off forgets every membership, as the kernel's bridge does */
bool bridge_mcast_snooping(const struct bridge *br);
void bridge_set_mcast_snooping(struct bridge *br, bool on);

/**
 * bridge_inject() - send @f, made by the bridge itself (its querier's query), as if it
 * came in on @port, without snooping it: it floods like any query
 * @out:	emptied and filled as by bridge_input()
 */
void bridge_inject(struct bridge *br, uint16_t port, struct frame *f, uint64_t now,
		   struct bridge_out *out);
const struct fdb *bridge_fdb_const(const struct bridge *br);

#endif
