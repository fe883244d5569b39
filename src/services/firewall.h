/* SPDX-License-Identifier: GPL-2.0-or-later */
/* firewall.h - NAT and forwarding rules of running networks, in kvnet's own nftables table
 *
 * Everything kvnet adds lives in one table, "inet kvnet" (FIREWALL_TABLE), so `nft list table
 * inet kvnet` shows exactly that and no one else's rules are touched. Each network has its
 * own chains, named after it, jumped to from the table's base chains, so a network's rules
 * are added and removed as a whole.
 */
#ifndef KVNET_FIREWALL_H
#define KVNET_FIREWALL_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/network_def.h"

#define FIREWALL_FAMILY "inet"
#define FIREWALL_TABLE "kvnet"

/**
 * firewall_rules() - the nft script that adds network @def's chains and rules (pure: for the
 * unit tests and firewall_network_add())
 * @def:	the network; its forward mode says what is added: nat (masquerade of each IPv4
 *		subnet, and IPv6 with <nat ipv6='yes'/>, to destinations outside it, not to
 *		multicast or broadcast, honouring <nat><address>/<port>; forwarding out of the
 *		subnet and replies back in), route (forwarding both ways, no NAT), open
 *		(nothing), no <forward> (isolated: reject all forwarding to and from the host
 *		port except between its own guests), bridge (nothing)
 * @ifname:	the network's host port (the interface its guests are behind)
 * @out:	the script (free())
 * Return: 0, -ENOMEM
 */
int firewall_rules(const struct network_def *def, const char *ifname, char **out);

/**
 * firewall_init() - remove a table left by a crashed kvnetd and create a fresh, empty one
 * Return: 0, or a negative errno with a message in @err (e.g. no nftables in the kernel)
 */
int firewall_init(char *err, size_t errlen);

/**
 * firewall_network_add() - add network @def's rules (replacing any it had), and turn on IPv4
 * (and IPv6 if the network has an IPv6 subnet) forwarding for nat and route networks
 * Return: 0, or a negative errno with a message in @err (nothing is then added)
 */
int firewall_network_add(const struct network_def *def, const char *ifname, char *err,
			 size_t errlen);

/** firewall_network_del() - remove network @name's chains and rules; absent is fine */
int firewall_network_del(const char *name, char *err, size_t errlen);

/** firewall_fini() - delete kvnet's table, at shutdown */
void firewall_fini(void);

#endif /* KVNET_FIREWALL_H */
