/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stp.h - spanning tree: IEEE 802.1D-2004 RSTP (clause 17) with its STP compatibility
 *
 * Theory of Operation
 * One struct stp is the spanning tree of one switch. It is pure: it never
 * reads a clock (every entry point that can move time takes @now_ns, a
 * monotonic time in nanoseconds), makes no system call and allocates only
 * in stp_new() and stp_port_add(). The caller feeds it three kinds of input:
 *  - configuration: ports added and removed, their link, speed, point-to-point
 *    and edge settings (enum stp_edge), priorities, costs and timers (stp_set_*, stp_port_*);
 *  - BPDUs received, as whole Ethernet frames (stp_rx());
 *  - the passing of time (stp_tick(), about every 100 ms to 1 s; the
 *    protocol's timers count whole seconds, as clause 17 does).
 * Every input runs the state machines of clause 17 to completion: port
 * receive, protocol migration, bridge detection, port information, role
 * selection, role transitions, state transition, topology change and port
 * transmit. What they decide comes out synchronously through struct stp_ops:
 *  - send:      a BPDU to transmit on a port, as a whole Ethernet frame
 *               (LLC 0x42 0x42 0x03 to 01:80:C2:00:00:00, padded to 60 bytes);
 *  - set_state: a port's new forwarding state, as the core's
 *               enum bridge_port_state (feed it to bridge_port_set_state());
 *  - flush:     forget the learned addresses of a port, now or by the
 *               legacy rapid ageing (see below).
 * The callbacks must not call back into the same struct stp.
 *
 * Versions. force_version 2 (the default) runs RSTP; a port that hears a
 * configuration or TCN BPDU talks legacy STP on that port (configuration
 * and TCN BPDUs, no proposal/agreement) until stp_port_mcheck() or the link
 * going down makes it try RSTP again. force_version 0 makes every port
 * talk STP: clause 17's machines then behave as 802.1D STP (no fast
 * transitions: discarding ports wait forward delay twice, topology changes
 * use rapid ageing).
 *
 * States. The core's enum is used as the Linux bridge uses it: a port whose
 * link is down is BR_STATE_DISABLED; a discarding port is BR_STATE_BLOCKING,
 * or BR_STATE_LISTENING while it is a root or designated port on its way to
 * forwarding and that port talks STP; then BR_STATE_LEARNING and
 * BR_STATE_FORWARDING. A newly added port is reported once, at once.
 *
 * Flushes. When clause 17 asks for a port's learned entries to be removed
 * (fdbFlush), the flush callback is called with ageing_s 0 under RSTP:
 * remove the dynamic entries learned on that port now. With force_version
 * below 2 it is called with ageing_s = forward delay: for the next ageing_s
 * seconds, entries learned on the port age out after ageing_s seconds
 * instead of the bridge's ageing time (802.1D-2004 17.19.1, the "short
 * ageing" of 802.1D STP). A later call restarts that period.
 *
 * Port numbers are the caller's (the core's 0..BRIDGE_PORTS_MAX-1); in
 * BPDUs a port is number port_no + 1, as 802.1D numbers them from 1.
 * The bridge identifier is the priority (a multiple of 4096) in the top
 * 16 bits and the switch MAC in the low 48, as a number: lower is better.
 *
 * Limits. One thread at a time (the caller serialises). A port sends at most
 * tx_hold_count BPDUs a second; the rest wait for the next tick. As in the
 * standard, when the root is cut off from a cycle, stale information held on
 * alternate ports can circulate until its message age runs out ("count to
 * infinity"), and a loop may form for that time; tests/unit/test_stp.c
 * measures how rare that is.
 */
#ifndef KVNET_CORE_STP_H
#define KVNET_CORE_STP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/bridge.h"

#define STP_PORTS_MAX BRIDGE_PORTS_MAX

/* timers, in seconds, and their 802.1D-2004 ranges (Table 17-1, 17-2) */
#define STP_HELLO_DEFAULT 2
#define STP_HELLO_MIN 1
#define STP_HELLO_MAX 2
#define STP_MAX_AGE_DEFAULT 20
#define STP_MAX_AGE_MIN 6
#define STP_MAX_AGE_MAX 40
#define STP_FWD_DELAY_DEFAULT 15
#define STP_FWD_DELAY_MIN 4
#define STP_FWD_DELAY_MAX 30
#define STP_TX_HOLD_DEFAULT 6
#define STP_TX_HOLD_MIN 1
#define STP_TX_HOLD_MAX 10
#define STP_MIGRATE_TIME 3
#define STP_PRIORITY_DEFAULT 32768 /* bridge: 0..61440 in steps of 4096 */
#define STP_PRIORITY_STEP 4096
#define STP_PORT_PRIORITY_DEFAULT 128 /* port: 0..240 in steps of 16 */
#define STP_PORT_PRIORITY_STEP 16
#define STP_PATH_COST_MAX 200000000u

/* force_version values */
#define STP_VERSION_STP 0
#define STP_VERSION_RSTP 2

/* a BPDU frame: 14 + 3 (LLC) + 36 (an RST BPDU), padded to the 60-byte minimum */
#define STP_FRAME_LEN 60

/**
 * struct stp_config - bridge-wide parameters
 * @priority:		bridge priority, 0..61440, a multiple of 4096
 * @force_version:	STP_VERSION_RSTP (2) or STP_VERSION_STP (0)
 * @hello_time:		seconds, 1..2
 * @max_age:		seconds, 6..40
 * @forward_delay:	seconds, 4..30
 * @tx_hold_count:	BPDUs a port may send per second, 1..10
 *
 * Besides the ranges, 2 * (forward_delay - 1) >= max_age >= 2 * (hello_time + 1)
 * (802.1D-2004 17.14).
 */
struct stp_config {
	uint16_t priority;
	uint8_t force_version;
	uint8_t hello_time;
	uint8_t max_age;
	uint8_t forward_delay;
	uint8_t tx_hold_count;
};

/* port roles, as showstp names them (stp_role_name()) */
enum stp_role {
	STP_ROLE_DISABLED,
	STP_ROLE_ROOT,
	STP_ROLE_DESIGNATED,
	STP_ROLE_ALTERNATE,
	STP_ROLE_BACKUP,
};

/**
 * struct stp_ops - where the machines' decisions go; every member may be NULL
 * @send:	transmit @len bytes of @frame on @port_no; @frame is valid only
 *		during the call (the caller copies it)
 * @set_state:	@port_no's forwarding state is now @state
 * @flush:	remove the learned entries of @port_no: now if @ageing_s is 0,
 *		else age them after @ageing_s seconds for the next @ageing_s seconds
 */
struct stp_ops {
	void (*send)(void *ctx, uint16_t port_no, const uint8_t *frame, size_t len);
	void (*set_state)(void *ctx, uint16_t port_no, enum bridge_port_state state);
	void (*flush)(void *ctx, uint16_t port_no, uint32_t ageing_s);
};

/**
 * struct stp_bridge_info - the bridge's view, for showstp
 * @bridge_id:		own identifier (priority << 48 | MAC)
 * @designated_root:	root bridge identifier
 * @root_path_cost:	cost to the root
 * @root_port:		port number of the root port, or -1 if this bridge is the root
 * @max_age, @hello_time, @forward_delay:	the times in use (the root's), seconds
 * @bridge_max_age, @bridge_hello_time, @bridge_forward_delay:	own settings
 * @force_version:	0 or 2
 * @tx_hold_count:	as configured
 * @topology_change:	a port has its topology change timer running
 * @tc_count:		topology changes detected or notified since stp_new()
 * @tc_last_ns:		when the last one happened (valid if @tc_count)
 * @rx_bad:		malformed or truncated BPDUs received on any port
 * @overruns:		inputs after which the machines did not settle (a bug: always 0)
 */
struct stp_bridge_info {
	uint64_t bridge_id;
	uint64_t designated_root;
	uint32_t root_path_cost;
	int root_port;
	uint8_t max_age, hello_time, forward_delay;
	uint8_t bridge_max_age, bridge_hello_time, bridge_forward_delay;
	uint8_t force_version;
	uint8_t tx_hold_count;
	bool topology_change;
	uint64_t tc_count;
	uint64_t tc_last_ns;
	uint64_t rx_bad;
	uint64_t overruns;
};

/**
 * struct stp_port_info - one port's view, for showstp
 * @port_id:		priority << 12 | (port_no + 1)
 * @priority:		port priority
 * @path_cost:		in use (configured, or from the speed)
 * @path_cost_auto:	the cost comes from the speed
 * @role, @state:	role, and forwarding state as reported through set_state
 * @link_up:		the link is up (portEnabled)
 * @designated_root, @designated_cost, @designated_bridge, @designated_port:
 *			the port priority vector: the best information for its LAN
 * @admin_edge, @auto_edge, @oper_edge:	edge settings and whether it is an edge now
 * @point_to_point:	as given
 * @root_guard:		restrictedRole: never the root port (stp_port_set_root_guard())
 * @root_blocked:	root guard holds the port back: it heard a root better than ours
 * @send_rstp:		talks RSTP (false: legacy STP on this port)
 * @topology_change_ack:	will set TC acknowledge in its next config BPDU
 * @proposing, @agreed:	proposal/agreement handshake state
 * @message_age:	seconds, of the information held
 * @fd_while, @hello_when, @tc_while, @rcvd_info_while, @edge_delay_while,
 * @migrate_delay_while:	clause 17 timers, seconds left
 * @rx_config, @rx_rst, @rx_tcn, @rx_bad, @tx_config, @tx_rst, @tx_tcn:	BPDU counters
 */
struct stp_port_info {
	uint16_t port_id;
	uint8_t priority;
	uint32_t path_cost;
	bool path_cost_auto;
	enum stp_role role;
	enum bridge_port_state state;
	bool link_up;
	uint64_t designated_root;
	uint32_t designated_cost;
	uint64_t designated_bridge;
	uint16_t designated_port;
	bool admin_edge, auto_edge, oper_edge;
	bool point_to_point;
	bool root_guard, root_blocked;
	bool send_rstp;
	bool topology_change_ack;
	bool proposing, agreed;
	uint8_t message_age;
	uint8_t fd_while, hello_when, tc_while, rcvd_info_while, edge_delay_while;
	uint8_t migrate_delay_while;
	uint64_t rx_config, rx_rst, rx_tcn, rx_bad;
	uint64_t tx_config, tx_rst, tx_tcn;
};

/*
 * A port's edge setting: the AdminEdge and AutoEdge parameters of 802.1D-2004
 * (17.13.1, 17.13.3) as one choice. An edge port (operEdge) forwards at once:
 * nothing but end stations is behind it, so it cannot close a loop. Any BPDU
 * heard on it makes it a non-edge port at once.
 *  - on:   AdminEdge (and AutoEdge): an edge port from the start, and again
 *          each time its link comes up;
 *  - off:  neither: never an edge port; it forwards when its peer agrees
 *          (RSTP, point-to-point) or when the forward delay timers run out;
 *  - auto: AutoEdge (the default, as in the standard and mstpd): a designated
 *          port that proposes (talking RSTP) and hears no BPDU for the edge
 *          delay, STP_MIGRATE_TIME seconds (max age if the port is not
 *          point-to-point), becomes an edge port and forwards (the Bridge
 *          Detection machine, 17.25).
 */
enum stp_edge {
	STP_EDGE_OFF,
	STP_EDGE_ON,
	STP_EDGE_AUTO,
};

struct stp;

/** stp_config_default() - priority 32768, RSTP, hello 2, max age 20, forward delay 15, hold 6 */
void stp_config_default(struct stp_config *c);

/**
 * stp_config_check() - check the ranges and relations of 802.1D-2004 17.14
 * Return: 0, or -EINVAL
 */
int stp_config_check(const struct stp_config *c);

/**
 * stp_new() - a spanning tree with no ports; this bridge is the root
 * @c:		parameters, checked with stp_config_check()
 * @mac:	the switch's MAC: the low 48 bits of the bridge identifier, and the
 *		source address of its BPDUs unless a port has its own
 * @ops:	callbacks (copied); NULL for none
 * @ctx:	passed to every callback
 * Return: the tree, or NULL on a bad config (errno EINVAL) or no memory
 */
struct stp *stp_new(const struct stp_config *c, const uint8_t mac[6], const struct stp_ops *ops,
		    void *ctx);
void stp_free(struct stp *stp);

/**
 * stp_set_config() - change the bridge parameters; a new priority changes the
 * bridge identifier, a new force_version restarts every port's machines
 * Return: 0, or -EINVAL (nothing changed)
 */
int stp_set_config(struct stp *stp, const struct stp_config *c, uint64_t now_ns);
void stp_get_config(const struct stp *stp, struct stp_config *c);

/**
 * stp_path_cost() - 802.1D-2004 Table 17-3: 20,000,000 / Mb/s, within 1..200,000,000
 * @speed_mbps: link speed; 0 (unknown) counts as 10 Mb/s
 */
uint32_t stp_path_cost(uint32_t speed_mbps);

/**
 * stp_port_add() - add a port, link down (call stp_port_set_link() when it is up)
 * @port_no:		the caller's port number, < STP_PORTS_MAX
 * @speed_mbps:		link speed, for the path cost (0: unknown, as 10 Mb/s)
 * @point_to_point:	the port's LAN has only one other bridge port (full duplex
 *			link); allows the proposal/agreement fast transition
 * @admin_edge:		true: edge on (STP_EDGE_ON), false: edge auto (STP_EDGE_AUTO);
 *			see enum stp_edge; stp_port_set_edge_mode() sets off
 * The new port's state (disabled) is reported through set_state.
 * Return: 0, -EINVAL (port_no out of range), -EEXIST, -ENOMEM
 */
int stp_port_add(struct stp *stp, uint16_t port_no, uint32_t speed_mbps, bool point_to_point,
		 bool admin_edge, uint64_t now_ns);

/** stp_port_del() - remove a port; the others are reconsidered. Return: 0 or -ENOENT */
int stp_port_del(struct stp *stp, uint16_t port_no, uint64_t now_ns);

/*
 * Port setters: 0, -ENOENT for no such port (checked first), -EINVAL for a bad
 * value (nothing changed). Each runs the machines, so callbacks may follow.
 */
int stp_port_set_link(struct stp *stp, uint16_t port_no, bool up, uint64_t now_ns);
/* @speed_mbps changes the cost only while it is automatic */
int stp_port_set_speed(struct stp *stp, uint16_t port_no, uint32_t speed_mbps, uint64_t now_ns);
/* @cost 1..200,000,000, or 0 for automatic (from the speed) */
int stp_port_set_path_cost(struct stp *stp, uint16_t port_no, uint32_t cost, uint64_t now_ns);
/* @priority 0..240, a multiple of 16 */
int stp_port_set_priority(struct stp *stp, uint16_t port_no, unsigned priority, uint64_t now_ns);
/*
 * @admin_edge and @auto_edge are AdminEdge and AutoEdge (17.13.1, 17.13.3); a change to
 * either starts Bridge Detection again: the port is an edge port now if @admin_edge, and
 * is not one if not (until auto edge finds it one)
 */
int stp_port_set_edge(struct stp *stp, uint16_t port_no, bool admin_edge, bool auto_edge,
		      uint64_t now_ns);
/* stp_port_set_edge() for a setting of enum stp_edge; -EINVAL for a value not of it */
int stp_port_set_edge_mode(struct stp *stp, uint16_t port_no, enum stp_edge edge, uint64_t now_ns);
int stp_port_set_p2p(struct stp *stp, uint16_t port_no, bool point_to_point, uint64_t now_ns);
/* @mac: source address of the port's BPDUs; NULL for the bridge's */
int stp_port_set_mac(struct stp *stp, uint16_t port_no, const uint8_t mac[6]);
/*
 * Root guard, 802.1Q's restrictedRole (the kernel bridge's root_block): the port is never
 * selected as root port; a superior BPDU on it makes it an alternate port (discarding)
 * for as long as that information lasts, and stp_port_info()'s @root_blocked says so.
 */
int stp_port_set_root_guard(struct stp *stp, uint16_t port_no, bool on, uint64_t now_ns);
/* force the port to try RSTP again (802.1D-2004 mcheck) */
int stp_port_mcheck(struct stp *stp, uint16_t port_no, uint64_t now_ns);

/**
 * stp_rx() - a frame received on @port_no for 01:80:C2:00:00:00
 * @frame, @len:	the whole Ethernet frame (untagged), from the destination on
 * Frames that are not valid BPDUs (9.3.4: LLC, protocol identifier, type,
 * length for the type, message age below max age) are counted in rx_bad and
 * ignored, as is this port's own configuration BPDU looped back to it.
 * A BPDU on a port whose link is down is ignored.
 * Return: 0 (processed or ignored), -EINVAL (malformed, counted), -ENOENT (no such port)
 */
int stp_rx(struct stp *stp, uint16_t port_no, const uint8_t *frame, size_t len, uint64_t now_ns);

/**
 * stp_tick() - let time pass: one clause-17 tick per whole second since the
 * last. The clock starts at the first time any function is given (stp_tick()
 * then only sets it); times going backwards are ignored. Call it at least
 * once a second: timers count whole seconds from the first call.
 */
void stp_tick(struct stp *stp, uint64_t now_ns);

/* read-only views */
void stp_bridge_info(const struct stp *stp, struct stp_bridge_info *info);
/* Return: 0, or -ENOENT */
int stp_port_info(const struct stp *stp, uint16_t port_no, struct stp_port_info *info);
bool stp_port_exists(const struct stp *stp, uint16_t port_no);
/* the state last reported for the port; BR_STATE_DISABLED for no such port */
enum bridge_port_state stp_port_state(const struct stp *stp, uint16_t port_no);
enum stp_role stp_port_role(const struct stp *stp, uint16_t port_no);

/** stp_role_name() - "disabled", "root", "designated", "alternate", "backup" */
const char *stp_role_name(enum stp_role r);

/*
 * BPDU encoding (stp_bpdu.c): times in 1/256 s as on the wire, identifiers as
 * numbers (priority << 48 | MAC for a bridge, priority << 12 | number for a port).
 */
enum stp_bpdu_type {
	STP_BPDU_CONFIG = 0x00,
	STP_BPDU_RST = 0x02,
	STP_BPDU_TCN = 0x80,
};

/* flags octet */
#define STP_FLAG_TC 0x01
#define STP_FLAG_PROPOSAL 0x02
#define STP_FLAG_ROLE_SHIFT 2
#define STP_FLAG_ROLE_MASK 0x0c
#define STP_FLAG_LEARNING 0x10
#define STP_FLAG_FORWARDING 0x20
#define STP_FLAG_AGREEMENT 0x40
#define STP_FLAG_TC_ACK 0x80
/* the role field of an RST BPDU */
#define STP_BPDU_ROLE_UNKNOWN 0
#define STP_BPDU_ROLE_ALT_BACKUP 1
#define STP_BPDU_ROLE_ROOT 2
#define STP_BPDU_ROLE_DESIGNATED 3

struct stp_bpdu {
	uint8_t version;
	uint8_t type;
	uint8_t flags;
	uint64_t root_id;
	uint32_t root_cost;
	uint64_t bridge_id;
	uint16_t port_id;
	uint16_t message_age;
	uint16_t max_age;
	uint16_t hello_time;
	uint16_t forward_delay;
};

/**
 * stp_bpdu_decode() - parse and validate a BPDU frame (802.1D-2004 9.3.4)
 * @frame, @len:	the Ethernet frame from its destination address on; bytes
 *			after the 802.3 length field's payload (padding) are ignored
 * @b:			filled on success (a TCN fills only version and type)
 * Return: 0, or -EINVAL: not to 01:80:C2:00:00:00, not 802.3 with LLC 42 42 03,
 * protocol identifier not 0, unknown type, shorter than its type needs, an RST
 * type with version below 2, or a configuration BPDU whose message age is not
 * below its max age
 */
int stp_bpdu_decode(const uint8_t *frame, size_t len, struct stp_bpdu *b);

/**
 * stp_bpdu_encode() - a whole BPDU frame from @src to 01:80:C2:00:00:00
 * @buf:	at least STP_FRAME_LEN bytes
 * Return: the frame length, STP_FRAME_LEN (padded with zeros)
 */
size_t stp_bpdu_encode(const struct stp_bpdu *b, const uint8_t src[6], uint8_t *buf);

#endif
