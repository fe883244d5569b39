/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_uplink.h - the uplinks of a bridge-mode network: an 802.1Q trunk, active-backup
 *
 * Theory of Operation
 * A network in forward mode bridge reaches the host's LAN through its uplinks: each
 * <forward><interface dev/> (or <forward dev>) is opened through AF_PACKET as a port of the
 * network's switch. What libvirt leaves to the host's bridge, kvnet does itself:
 *
 * - An uplink is an 802.1Q trunk, as a Linux bridge port to a trunk is: a member of every
 *   VLAN the network's ports use (the network's <vlan>, each portgroup's, each port's own,
 *   whatever their membership is on the switch), tagged, and of its native VLAN untagged
 *   with that VLAN as its PVID. The native VLAN is the network's <vlan> tag that has a
 *   nativeMode (with nativeMode='tagged' it stays the PVID but egresses tagged), else VLAN 1,
 *   the VLAN of ports without <vlan>. net_uplink_sync() keeps that in step: it is called when
 *   a VM port comes or goes, when a portgroup changes, and by the once-a-second tick (which
 *   also catches a membership changed by hand, e.g. through ovs-vsctl). A VID no port uses
 *   any more is removed from the uplinks.
 * - With several uplinks they are active-backup, as a bond is: one forwards (the first, in
 *   <forward> order, that has carrier), the others are disabled (no frame in or out, so no
 *   loop through the LAN). When the active one loses carrier the next with carrier takes
 *   over at the next tick; when an earlier one regains carrier it takes over again.
 *   Disabling a port flushes what the switch learned through it.
 * - <forward mode='bridge'/> with a <bridge name> and no interface, libvirt's "host bridge"
 *   network: when kvnetd's namespace has a kernel bridge of that name (and kvnet has no
 *   switch of it), the network joins it. Its kvnet switch takes a name of its own (the first
 *   free virbrN, with its host netdev of that name) and a veth pair links the two: SWITCH-br
 *   enslaved to the kernel bridge, SWITCH-up the network's uplink, an 802.1Q trunk as above.
 *   Both go with the network; a pair a kvnetd killed with -9 left (named after a virbrN
 *   kvnet has no switch of, or after the one being made) is deleted when one is made. A kvnet
 *   switch of that name is joined as it is (no uplink); an
 *   interface of that name that is no bridge is refused; with no interface of that name
 *   kvnet's switch is the bridge, under that name (as for libvirt's openvswitch networks).
 */
#ifndef KVNET_DAEMON_NETWORK_NET_UPLINK_H
#define KVNET_DAEMON_NETWORK_NET_UPLINK_H

#include <stdbool.h>
#include <stddef.h>

struct kv_network;
struct network_def;
struct kv_port;

/**
 * struct net_uplink - a running network's uplinks
 * @ports:	its uplink ports, in <forward> order (NULL when it has none)
 * @n_ports:	how many
 * @active:	the one forwarding, or NULL before the first election
 * @veth:	the veth end made to join a kernel bridge (SWITCH-up), "" for none
 */
struct net_uplink {
	struct kv_port **ports;
	size_t n_ports;
	struct kv_port *active;
	char veth[16];
};

/* the state of an uplink, as net-info shows it */
enum net_uplink_state {
	NET_UPLINK_ACTIVE,
	NET_UPLINK_BACKUP, /* has carrier, waits */
	NET_UPLINK_DOWN,   /* no carrier */
};

/** net_uplink_first() - the first uplink @def names (forward mode bridge), or NULL */
const char *net_uplink_first(const struct network_def *def);

/**
 * net_uplink_host_bridge() - does network @def join a kernel bridge of kvnetd's namespace:
 * forward mode bridge, no <interface>, a <bridge name> that is no kvnet switch but a kernel
 * bridge
 * Return: 1 if it does, 0 if not, -EINVAL with a message when <bridge name> names an
 * interface that is not a bridge
 */
int net_uplink_host_bridge(const struct network_def *def, char *err, size_t errlen);

/**
 * net_uplink_start() - open network @n's uplinks as ports of its switch, elect the active
 * one and make them trunks of the VLANs its ports use
 * @n:		the network, its switch made, its services (n->svc) allocated
 *
 * Under the datapath lock, which is dropped around opening each socket.
 * Return: 0, or a negative errno with a message in @err (nothing is left behind)
 */
int net_uplink_start(struct kv_network *n, char *err, size_t errlen);

/** net_uplink_stop() - network @n's uplink ports removed */
void net_uplink_stop(struct kv_network *n);

/**
 * net_uplink_sync() - network @n's uplinks made trunks of the VLANs its ports use now, and
 * the first with carrier made the active one. Does nothing for a network without uplinks
 * or not running; under the datapath lock.
 */
void net_uplink_sync(struct kv_network *n);

/** net_uplink_state() - what uplink @i of running network @n is doing */
enum net_uplink_state net_uplink_state(const struct kv_network *n, size_t i);

/** net_uplink_state_name() - "active", "backup" or "down" */
const char *net_uplink_state_name(enum net_uplink_state s);

#endif
