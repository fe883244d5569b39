/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch.h - the daemon's switches and their ports: names, back-ends, core bridges
 *
 * Theory of Operation
 * A switch is a named core bridge (core/bridge.h) plus the ports attached
 * to it; a port is a named back-end (port/port.h) bound to one core port
 * number. The control thread creates, changes and removes them; the
 * datapath threads move frames. The datapath lock (datapath_lock()) is
 * what makes that safe: each datapath thread holds its part of it while it
 * handles a wake-up, and the control thread holds all of it while it reads
 * or changes anything the datapath uses. Slow work (creating a tap, moving
 * it into a namespace) is done before taking the lock, so forwarding never
 * waits for a system call of the control side.
 *
 * With more than one datapath thread (kvnetd --threads), a port is read by
 * the one thread it was given, but its switch and any port may be reached
 * from all of them; three more locks order that, only taken with several
 * threads and never across a wait: a switch's @lock for its core bridge
 * (the FDB, the VLAN and multicast tables, counters, shapers, STP) and for
 * its ports' links; the copy lock (datapath.c) for captures and mirrors;
 * a port's @lock for its back-end, so that two threads never send on it
 * at once nor send while it reads (the VXLAN ports share one, as the
 * ports on an endpoint reach into each other). They are taken in that order: switch,
 * copy, port. @link_up, @copy, @dp_stuck and @dp_tx_blocked are atomic,
 * read by every thread without a lock.
 *
 * Spanning tree. A switch with STP on has a struct stp (core/stp.h) that
 * lives and dies with `stp on|off`; its ports follow the switch's ports
 * (added, removed, link up and down). Its inputs all run under the
 * datapath lock: BPDUs and the 1 s tick in the datapath thread, settings in
 * the control thread. Its decisions come back synchronously: BPDUs are sent
 * on the port's back-end at once (also on a blocking port), a new state goes
 * to the core, and a flush removes the port's learned entries at once (also
 * for STP's "short ageing" after a topology change, which is simpler and
 * only makes the bridge flood a little more for a while).
 *
 * A port's state in the core is decided by three things: its link (down:
 * disabled), the state asked for with `port set state` (the admin state,
 * forwarding by default) and, with STP on, the state STP gives it
 * (forwarding with STP off). The most restrictive one wins, in the order
 * disabled < blocking, listening < learning < forwarding; between an admin
 * blocking and an STP listening, blocking. So STP never forwards on a port
 * the admin blocked, and the admin cannot open a port STP blocks: the two
 * never fight, each can only hold a port back.
 */
#ifndef KVNET_DAEMON_SWITCH_SWITCH_H
#define KVNET_DAEMON_SWITCH_SWITCH_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/bridge.h"
#include "core/shaper.h"
#include "core/stp.h"
#include "daemon/switch/datapath.h"
#include "port/port.h"

#define SWITCH_NAME_MAX 16
/* longest network namespace name (a file name under /run/netns) */
#define NETNS_NAME_MAX 255

enum kv_port_type {
	KV_PORT_TAP,
	KV_PORT_DEV,
	KV_PORT_HOST,	/* the switch's host netdev (switch_host.h): a tap named like it */
	KV_PORT_SOCKET, /* QEMU's stream or dgram socket (port/peer.c): its link is its peer */
	KV_PORT_PATCH,	/* one end of a patch between two switches (an S-channel): a socket pair */
	KV_PORT_TUNNEL, /* a VXLAN tunnel (port/vxlan.h): a UDP socket, always up */
};

struct kv_switch;
struct kv_vm_port;
struct kv_network;

/**
 * struct kv_port - a port of a switch
 * @name:	unique in the daemon; the interface name
 * @sw:		its switch
 * @no:		core port number
 * @be:		the back-end
 * @type:	how it was made
 * @netns:	namespace a tap was moved to, "" if none
 * @link_up:	the back-end works; a port whose interface went away is down
 * @admin_state: the state asked for (port.set); see the rule above
 * @stp_state:	the state STP gave it, forwarding with STP off
 * @stp_edge:	STP edge setting: auto by default, on for VM and host ports
 * @stp_path_cost: configured STP path cost, 0 for automatic (from the speed)
 * @stp_priority: STP port priority, 0..240 in steps of 16
 * @root_guard:	STP root guard (switch_guard.h)
 * @access_guard_auto: the access guard follows the port's VLANs (a VM port, until the admin
 *		sets access_guard with port.set, which then stays as said)
 * @bpdu_tripped: the core's BPDU guard disabled it, and this side has acted on it
 * @speed_mbps:	link speed for the automatic path cost
 * @dp_slot:	the datapath's handle for it
 * @dp_thread:	the datapath thread that reads it (datapath.h)
 * @dp_txq:	by datapath thread, the queue of a multiqueue tap (@be's queues) that thread
 *		reads and sends on, without a lock; NULL: it sends on @be, under @lock
 * @dp_qslot:	by datapath thread, the datapath's handle for that thread's queue
 * @lock:	its back-end's, between datapath threads (see above)
 * @dp_more:	it is on the datapath's list of ports with frames buffered
 * @dp_stuck:	busy for longer than the datapath waits: frames for it are dropped (tx-blocked)
 * @dp_busy_since: when its back-end said it was busy (datapath clock), 0 when it is not
 * @dp_tx_blocked: frames dropped for it while it was stuck
 * @vm:		the VM port it is (vmport/vm_port.h), or NULL; opaque here
 * @release:	called by switch_port_del() before the port goes, when set: its owner (the
 *		VM port) lets go of it. A hook, so switch/ never calls up into vmport/
 * @net:	the network whose host port (of the switch it made) or uplink it is, or NULL
 * @patch:	a patch's (KV_PORT_PATCH) other end, on another switch; its release removes it
 * @schannel_uplink: on an S-channel's own end of its patch, the uplink it was made on (for
 *		the store, which makes it again); "" on every other port
 * @shape_rx:	the rate limit on frames the switch receives from it (a VM's <outbound>, a
 *		network's <inbound> on its host port); datapath thread, set under the lock
 * @shape_tx:	the rate limit on frames the switch sends out of it (a VM's <inbound>, a
 *		network's <outbound> on its host port)
 * @copy:	SWITCH_COPY_* bits: its frames are copied to captures or mirrors that way
 *		(switch_capture.h); datapath thread, set under the lock
 * @mirror_out:	it is the output of a mirror (switch_mirror.h): disabled in the core
 * @next:	next port of the switch, by creation
 */
struct kv_port {
	char name[SWITCH_NAME_MAX];
	struct kv_switch *sw;
	uint16_t no;
	struct port *be;
	enum kv_port_type type;
	char netns[NETNS_NAME_MAX + 1];
	atomic_bool link_up;
	enum bridge_port_state admin_state;
	enum bridge_port_state stp_state;
	enum stp_edge stp_edge;
	uint32_t stp_path_cost;
	uint8_t stp_priority;
	bool root_guard;
	bool access_guard_auto;
	bool bpdu_tripped;
	uint32_t speed_mbps;
	uint32_t dp_slot;
	uint32_t dp_thread;
	struct port *dp_txq[DATAPATH_THREADS_MAX];
	uint32_t dp_qslot[DATAPATH_THREADS_MAX];
	pthread_mutex_t lock;
	bool dp_more;
	atomic_bool dp_stuck;
	uint64_t dp_busy_since;
	_Atomic uint64_t dp_tx_blocked;
	struct kv_vm_port *vm;
	void (*release)(struct kv_port *p);
	struct kv_network *net;
	struct kv_port *patch;
	char schannel_uplink[SWITCH_NAME_MAX];
	struct shaper shape_rx;
	struct shaper shape_tx;
	_Atomic uint8_t copy;
	bool mirror_out;
	struct kv_port *next;
};

/**
 * struct kv_switch - a switch
 * @name:	unique in the daemon
 * @br:		the core bridge
 * @out:	its output lists, one set a datapath thread (each thread its own)
 * @lock:	its core bridge's, between datapath threads (see above)
 * @cfg:	what it was created with
 * @mac:	its MAC, from the machine id and its name (switch_host_mac()): the low 48
 *		bits of its STP bridge id, the same after a restart
 * @stp:	its spanning tree, or NULL with STP off
 * @stp_cfg:	STP parameters, kept while STP is off
 * @host:	its host netdev's port (switch_host.h), or NULL (kvnetd without CAP_NET_ADMIN)
 * @by_no:	ports by core number
 * @ports:	ports in creation order
 * @next:	next switch, by creation
 */
struct kv_switch {
	char name[SWITCH_NAME_MAX];
	struct bridge *br;
	struct bridge_out *out[DATAPATH_THREADS_MAX];
	pthread_mutex_t lock;
	struct bridge_config cfg;
	uint8_t mac[6];
	struct stp *stp;
	struct stp_config stp_cfg;
	struct kv_port *host;
	struct kv_port **by_no;
	struct kv_port *ports;
	struct kv_switch *next;
};

/* all switches, in creation order; control thread, under the datapath lock to change */
extern struct kv_switch *switches;

struct kv_switch *switch_find(const char *name);
struct kv_port *switch_port_find(const char *name);

/**
 * switch_add() - create switch @name from @cfg
 * @out:	gets the switch
 * Return: 0, -EEXIST, -EINVAL or -ENOMEM
 */
int switch_add(const char *name, const struct bridge_config *cfg, struct kv_switch **out);

/** switch_del() - remove a switch, its ports and their back-ends */
void switch_del(struct kv_switch *sw);

/**
 * switch_port_add() - attach back-end @be as port @name of @sw
 * @out:	gets the port
 * Return: 0, or -ENOSPC (no free port) or -ENOMEM, with a message naming the port and
 * bridge in @err; @be is then not taken
 */
int switch_port_add(struct kv_switch *sw, const char *name, struct port *be, enum kv_port_type type,
		    const char *netns, struct kv_port **out, char *err, size_t errlen);

/**
 * switch_port_set_shaping() - limit what the switch receives from @p (@rx) or sends out of it
 * @avg:	average rate, bytes per second; 0 for no limit
 * @peak:	peak rate, bytes per second, 0 for none
 * @burst:	the average rate's bucket, bytes (core/shaper.h raises it to the largest frame)
 * Return: 0, or -EINVAL for a rate over SHAPER_RATE_MAX (nothing changed)
 */
int switch_port_set_shaping(struct kv_port *p, bool rx, uint64_t avg, uint64_t peak,
			    uint64_t burst);

/** switch_port_del() - detach and destroy a port and its back-end */
void switch_port_del(struct kv_port *p);

/** switch_port_set_link() - the back-end works (or not); the core state follows */
void switch_port_set_link(struct kv_port *p, bool up);

/** switch_port_set_state() - set the admin state; the core has it while the link is up */
int switch_port_set_state(struct kv_port *p, enum bridge_port_state state);

/**
 * switch_stp_enable() - turn STP on (a new struct stp with every port) or off (freed; BPDUs
 * are flooded again and the ports forward as their admin state says)
 * Return: 0, or -ENOMEM (STP stays off)
 */
int switch_stp_enable(struct kv_switch *sw, bool on);

/**
 * switch_stp_set_config() - new STP parameters, kept for when STP is turned on
 * Return: 0, or -EINVAL (out of range, see stp_config_check(); nothing changed)
 */
int switch_stp_set_config(struct kv_switch *sw, const struct stp_config *c);

/*
 * Port STP settings, kept while STP is off. Return: 0, or -EINVAL (nothing changed):
 * @cost 1..STP_PATH_COST_MAX or 0 for automatic, @priority 0..240 a multiple of 16,
 * @edge one of enum stp_edge.
 */
int switch_port_stp_set_cost(struct kv_port *p, uint32_t cost);
int switch_port_stp_set_priority(struct kv_port *p, unsigned priority);
int switch_port_stp_set_edge(struct kv_port *p, enum stp_edge edge);

/** switch_del_all() - remove every switch, at shutdown */
void switch_del_all(void);

#endif
