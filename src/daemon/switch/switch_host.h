/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_host.h - a switch's host netdev: the tap named like the switch, as a Linux bridge
 * has its own device
 *
 * Theory of Operation
 * A Linux bridge is also a netdev of the host: `ip link` shows it, it has a MAC and an MTU,
 * it is up or down, and the host's addresses on it put the host on the bridge. libvirt counts
 * on that: it reads the MTU of the netdev named like the bridge each time it plugs a tap, and
 * checks the netdev exists when libvirtd starts. So every kvnet switch made with
 * CAP_NET_ADMIN has one: a tap named like the switch, attached to it as a port of type
 * KV_PORT_HOST (an edge port for STP), made when the switch is made and gone with it. A
 * network adds its <ip> addresses to it (network/net_services.c).
 *
 * Its MAC is the network's <mac> when a network made the switch and has one, else a stable
 * one derived from the host's machine id and the switch's name (what systemd gives a bridge
 * it makes), so it is the same after every restart. Its MTU is the network's <mtu>, else the
 * default. It is up. IPv6 is off on it unless the network has an IPv6 address, as libvirt
 * does for its bridges: a host port no one asked an address for stays quiet, sending no
 * router solicitations or MLD reports into the switch.
 *
 * Without CAP_NET_ADMIN no tap can be made, so a switch has no host netdev, and that is
 * refused nowhere: only what needs the host on the network (a network's <ip>) is.
 */
#ifndef KVNET_DAEMON_SWITCH_SWITCH_HOST_H
#define KVNET_DAEMON_SWITCH_SWITCH_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct kv_switch;

/**
 * struct switch_host_cfg - how a switch's host netdev is made
 * @mac:	its MAC, or NULL for the one switch_host_mac() derives
 * @mtu:	its MTU (and its port's in the core), or 0 for the default
 * @ipv6:	leave IPv6 on (a network with an IPv6 address)
 */
struct switch_host_cfg {
	const uint8_t *mac;
	unsigned int mtu;
	bool ipv6;
};

/**
 * switch_host_add() - give @sw its host netdev (@sw->host): a tap named like @sw, made as
 * @cfg says (NULL: every default), up, attached as a KV_PORT_HOST port. Without
 * CAP_NET_ADMIN nothing is made and 0 is returned.
 * Called with the datapath lock held, which it lets go around making the tap.
 * Return: 0; or -EEXIST (an interface of that name exists on the host), -ENOSPC, or another
 * negative errno, with a message naming the interface in @err; nothing is left then
 */
int switch_host_add(struct kv_switch *sw, const struct switch_host_cfg *cfg, char *err,
		    size_t errlen);

/**
 * switch_host_mac() - the stable MAC of switch @name's host netdev: hashed from the host's
 * machine id (/etc/machine-id, when there is one) and @name; unicast, locally administered
 */
void switch_host_mac(const char *name, uint8_t mac[6]);

#endif /* KVNET_DAEMON_SWITCH_SWITCH_HOST_H */
