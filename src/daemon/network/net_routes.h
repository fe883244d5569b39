/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_routes.h - a network's static <route>s, installed in kvnetd's namespace while it runs
 *
 * Theory of Operation
 * A <route address prefix|netmask gateway metric> says that a subnet is reached through a
 * router on the network (a guest that routes, say). As libvirt does, kvnet installs it
 * in the main table, via the gateway, out of the host port, once the host port has its
 * addresses, with the route's metric (1 when absent, libvirt's default). A route whose
 * gateway is on none of the network's subnets was refused at define (network_xml.c); one
 * kvnet cannot install (no host port, host bits set) is refused when the network starts.
 * The routes go when the network stops; those added before a failed start go with it.
 */
#ifndef KVNET_DAEMON_NETWORK_NET_ROUTES_H
#define KVNET_DAEMON_NETWORK_NET_ROUTES_H

#include <stddef.h>

#include "conf/network_def.h"

struct kv_network;

/**
 * net_routes_check() - refuse the <route>s of @def that cannot be installed: on a network
 * without a host port, an address with host bits set
 * Return: 0, or -EINVAL with a message naming the route
 */
int net_routes_check(const struct network_def *def, char *err, size_t errlen);

/**
 * net_routes_add() - install the <route>s of active network @n (its host port has its
 * addresses); counted in n->svc->n_routes, so net_routes_del() removes what was added even
 * when one failed. Slow: call without the datapath lock.
 * Return: 0, or a negative errno with a message naming the route
 */
int net_routes_add(struct kv_network *n, char *err, size_t errlen);

/** net_routes_del() - remove the routes net_routes_add() installed; without the lock */
void net_routes_del(struct kv_network *n);

#endif /* KVNET_DAEMON_NETWORK_NET_ROUTES_H */
