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
 * @out:	the script (free()); "" for open and bridge networks
 *
 * The script only adds the network's chains and the jumps to them: it expects the table of
 * firewall_table_script() and none of the network's chains (firewall_network_add() removes
 * them first, in the same transaction).
 * Return: 0, -ENOMEM, -EINVAL if @ifname or <forward dev> is not a safe interface name
 *	   (firewall_ifname_valid()) or @def has no name
 */
int firewall_rules(const struct network_def *def, const char *ifname, char **out);

/**
 * firewall_table_script() - the nft script firewall_init() runs: delete any table inet kvnet
 * and create it afresh with its base chains (forward filter hook jumping to guest_cross,
 * guest_input, guest_output in that order; postrouting nat hook)
 * Return: a static string
 */
const char *firewall_table_script(void);

/**
 * firewall_ifname_valid() - is @s an interface name the firewall will write into a script:
 * 1 to 15 characters of [A-Za-z0-9_.-]
 */
bool firewall_ifname_valid(const char *s);

/*
 * The chains of network NAME are BASE_cross, BASE_in, BASE_out and (nat) BASE_nat, BASE being
 * "n_" + NAME with every character outside [A-Za-z0-9] made '_', cut to 16 characters, + '_'
 * + 12 hex digits of the 64-bit FNV-1a hash of NAME: at most 33 characters, a valid nft
 * identifier for any name.
 */
#define FIREWALL_CHAIN_BASE_MAX 34

/**
 * firewall_chain_base() - BASE for network @name (see above) into @out (@outlen >=
 * FIREWALL_CHAIN_BASE_MAX)
 */
void firewall_chain_base(const char *name, char *out, size_t outlen);

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
