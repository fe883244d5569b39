/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_routes.c - a network's static <route>s, installed in kvnetd's namespace while it runs */

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon/network/net_routes.h"
#include "daemon/network/net_services.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "services/netlink.h"
#include "util/log.h"

/* libvirt's metric of a route without one */
#define NET_ROUTE_METRIC_DEFAULT 1

/* the destination of @rt as a subnet: its prefix, else its netmask's, else as an <ip>'s */
static void net_route_dst(const struct network_route *rt, struct net_subnet *s)
{
	const struct network_ip ip = { .address = rt->address,
				       .netmask = rt->netmask,
				       .prefix = rt->prefix };

	net_subnet_of(&ip, s);
}

static uint32_t net_route_metric(const struct network_route *rt)
{
	return rt->metric > 0 ? (uint32_t)rt->metric : NET_ROUTE_METRIC_DEFAULT;
}

/* "<route address='A' prefix='P' gateway='G'>" of @rt for messages */
static void net_route_str(const struct network_route *rt, char *buf, size_t len)
{
	char dst[INET6_ADDRSTRLEN], gw[INET6_ADDRSTRLEN];
	struct net_subnet s;

	net_route_dst(rt, &s);
	inet_ntop(s.family, s.addr, dst, sizeof(dst));
	inet_ntop(rt->gateway.family, &rt->gateway.v6, gw, sizeof(gw));
	snprintf(buf, len, "<route address='%s' prefix='%u' gateway='%s'>", dst, s.prefix, gw);
}

/* are the bits of @s past its prefix all zero, as the kernel wants of a route's destination */
static bool net_route_dst_clean(const struct net_subnet *s)
{
	unsigned int bytes = s->family == AF_INET ? 4 : 16;

	for (unsigned int i = s->prefix; i < bytes * 8; i++)
		if (s->addr[i / 8] & (0x80u >> (i % 8)))
			return false;
	return true;
}

int net_routes_check(const struct network_def *def, char *err, size_t errlen)
{
	char what[160];

	for (size_t i = 0; i < def->n_routes; i++) {
		const struct network_route *rt = &def->routes[i];
		struct net_subnet s;

		net_route_str(rt, what, sizeof(what));
		net_route_dst(rt, &s);
		if (!net_services_needs_host_port(def)) {
			snprintf(err, errlen,
				 "network '%s': %s needs a host port to route through: kvnet "
				 "installs routes for nat, route, open and isolated networks with "
				 "an <ip>",
				 def->name, what);
			return -EINVAL;
		}
		if (!net_route_dst_clean(&s)) {
			snprintf(err, errlen,
				 "network '%s': %s: the address has bits set past its prefix; "
				 "expected the subnet's first address",
				 def->name, what);
			return -EINVAL;
		}
	}
	return 0;
}

/* add or delete route @rt of network @n */
static int net_route_change(struct kv_network *n, const struct network_route *rt, bool add,
			    char *err, size_t errlen)
{
	struct net_subnet s;

	net_route_dst(rt, &s);
	return netlink_route_change(add, n->svc->host_port->name, s.family, s.addr, s.prefix,
				    &rt->gateway.v6, net_route_metric(rt), err, errlen);
}

int net_routes_add(struct kv_network *n, char *err, size_t errlen)
{
	const struct network_def *def = n->def;

	for (size_t i = 0; i < def->n_routes; i++) {
		int ret = net_route_change(n, &def->routes[i], true, err, errlen);

		if (ret) {
			size_t len = strlen(err);

			snprintf(err + len, errlen - len, " (network '%s')", def->name);
			return ret;
		}
		n->svc->n_routes = i + 1;
	}
	return 0;
}

void net_routes_del(struct kv_network *n)
{
	char err[256];

	for (size_t i = n->svc->n_routes; i-- > 0;)
		if (net_route_change(n, &n->def->routes[i], false, err, sizeof(err)))
			log_warn("network %s: %s", n->def->name, err);
	n->svc->n_routes = 0;
}
