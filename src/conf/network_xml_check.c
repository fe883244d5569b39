/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_xml_check.c - what a network's elements must agree on, checked once all are parsed
 *
 * Each element's own parser (network_xml.c) checks what the element alone can tell; these
 * checks look at several: the forward mode against <ip>, <dns>, <domain> and <mac>, routes'
 * gateways against the subnets, the network's <bandwidth> against its mode, and what a
 * private or vepa network (layer 2 only, one uplink) may hold. They refuse, naming the
 * element, what libvirt refuses at define and what kvnet would store without applying.
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "conf/conf_enum.h"
#include "conf/conf_xml.h"
#include "conf/network_def.h"
#include "conf/network_xml_priv.h"

/*
 * A network in forward mode bridge (or private, vepa: any mode whose switch is a port of a
 * LAN) joins a LAN that has its own addresses, DHCP and DNS: libvirt refuses <mac>, <ip> (and
 * so <dhcp>), <dns> records and <domain> there (networkValidate()), and so does kvnet rather
 * than store what it would never apply. A <dns> with forwarders or forwardPlainNames is
 * refused too: it would configure a DNS server that does not run.
 * Return: 0, or -EINVAL naming the element
 */
static int network_xml_lan_mode_check(struct conf_xml_ctx *ctx, const xmlNode *root,
				      const struct network_def *def)
{
	static const char *const refused[] = { "mac", "ip", "domain" };
	const char *mode = conf_forward_mode_to_string(def->forward.mode);
	const struct network_dns *dns = &def->dns;
	const xmlNode *c;

	switch (def->forward.mode) {
	case CONF_FORWARD_NONE:
	case CONF_FORWARD_NAT:
	case CONF_FORWARD_ROUTE:
	case CONF_FORWARD_OPEN:
		return 0;
	default:
		break;
	}
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		c = network_xml_first(root, refused[i]);
		if (c)
			return conf_xml_error(
				ctx, c,
				"not supported with forward mode '%s' (libvirt "
				"refuses it too): the LAN the network joins has its "
				"own addresses, DHCP and DNS; use forward mode 'nat', "
				"'route' or 'open' for a network kvnet serves",
				mode);
	}
	if (dns->n_hosts || dns->n_txts || dns->n_srvs || dns->n_forwarders ||
	    dns->forward_plain_names != CONF_TRI_ABSENT || dns->enable == CONF_TRI_YES)
		return conf_xml_error(ctx, network_xml_first(root, "dns"),
				      "not supported with forward mode '%s' (libvirt refuses "
				      "it too): kvnet runs no DNS server for such a network; use "
				      "forward mode 'nat', 'route' or 'open' for one",
				      mode);
	return 0;
}

/*
 * Each <route>'s gateway on the subnet of one of @def's <ip>s, as libvirt checks at define:
 * else the route can never be reached. The <route>s are the element children of @root named
 * so, in @def->routes' order.
 */
static int network_xml_route_gateways(struct conf_xml_ctx *ctx, const xmlNode *root,
				      const struct network_def *def)
{
	size_t r = 0;

	for (const xmlNode *c = root->children; c && r < def->n_routes; c = c->next) {
		const struct network_route *rt;
		char gw[INET6_ADDRSTRLEN];
		size_t i;

		if (c->type != XML_ELEMENT_NODE || !conf_xml_is(c, "route"))
			continue;
		rt = &def->routes[r++];
		for (i = 0; i < def->n_ips; i++)
			if (network_xml_in_subnet(&def->ips[i], &rt->gateway))
				break;
		if (i < def->n_ips)
			continue;
		inet_ntop(rt->gateway.family, &rt->gateway.v6, gw, sizeof(gw));
		return conf_xml_error(ctx, c,
				      "attribute 'gateway': '%s' is on none of the network's "
				      "subnets, so the route is unreachable; expected an address "
				      "in the subnet of one of its <ip>s",
				      gw);
	}
	return 0;
}

/*
 * A network's own <bandwidth> limits what passes its host port (libvirt: its bridge device),
 * that is the traffic the host routes to and from the guests: in an isolated, nat, route or
 * open network. libvirt also takes it in bridge mode with a <bridge name>, on that bridge;
 * kvnet's bridge-mode switch may instead join a kernel bridge, which it does not shape, so
 * it refuses it there as libvirt does in the other modes
 */
static int network_xml_check_bandwidth(struct conf_xml_ctx *ctx, const xmlNode *root,
				       const struct network_def *def)
{
	enum conf_forward_mode m = def->forward.mode;

	if (!def->bandwidth || m == CONF_FORWARD_NONE || m == CONF_FORWARD_NAT ||
	    m == CONF_FORWARD_ROUTE || m == CONF_FORWARD_OPEN)
		return 0;
	return conf_xml_error(ctx, network_xml_first(root, "bandwidth"),
			      "not supported with forward mode '%s' (a network's <bandwidth> "
			      "limits the traffic the host routes to its guests, in an isolated, "
			      "nat, route or open network): give the interfaces or a <portgroup> "
			      "a <bandwidth> instead",
			      conf_forward_mode_to_string(m));
}

/*
 * Forward modes private and vepa run on kvnet's own switch with one uplink, a layer 2
 * network as libvirt's macvtap modes are: what only a network with a host address means
 * is refused, as libvirt refuses it. Return: 0, or -EINVAL with the element named
 */
static int network_xml_check_relay(struct conf_xml_ctx *ctx, const xmlNode *root,
				   const struct network_def *def)
{
	static const char *const l3[] = { "ip", "route", "dns", "domain", "mac" };
	const char *mode = conf_forward_mode_to_string(def->forward.mode);
	const xmlNode *c, *fwd = NULL;

	if (def->forward.mode != CONF_FORWARD_PRIVATE && def->forward.mode != CONF_FORWARD_VEPA)
		return 0;
	for (c = root->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || c->ns)
			continue;
		if (conf_xml_is(c, "forward"))
			fwd = c;
		for (size_t i = 0; i < sizeof(l3) / sizeof(l3[0]); i++)
			if (conf_xml_is(c, l3[i]))
				return conf_xml_error(
					ctx, c,
					"not allowed with forward mode '%s' (a layer 2 "
					"network without a host address, as in libvirt); "
					"use forward mode nat, route or open for it",
					mode);
		if (conf_xml_is(c, "vlan") ||
		    (conf_xml_is(c, "portgroup") && network_xml_first(c, "vlan")))
			return conf_xml_error(
				ctx, c,
				"a <vlan> is not supported by kvnet with forward mode "
				"'%s' (its uplink carries untagged frames only); use "
				"forward mode bridge for VLANs",
				mode);
		if (conf_xml_is(c, "bridge") && def->bridge.name)
			return conf_xml_error(
				ctx, c,
				"attribute 'name': not allowed with forward mode '%s' "
				"(kvnet names the switch, as libvirt does not allow "
				"both a bridge and a forward dev)",
				mode);
	}
	if (!def->forward.n_ifaces)
		return conf_xml_error(ctx, fwd,
				      "forward mode '%s' needs an uplink: expected "
				      "<forward dev='...'/> or one <interface dev='...'/>",
				      mode);
	if (def->forward.n_ifaces > 1)
		return conf_xml_error(
			ctx, fwd,
			"a pool of %zu <interface> devices is not supported by kvnet "
			"with forward mode '%s' (its switch has one uplink); expected "
			"one <interface dev='...'/>",
			def->forward.n_ifaces, mode);
	return 0;
}

/* conf_xml_parse()'s fill: @opaque is the struct network_def */

int network_xml_check(struct conf_xml_ctx *ctx, const xmlNode *root, const struct network_def *def)
{
	int ret = network_xml_check_relay(ctx, root, def);

	if (!ret)
		ret = network_xml_lan_mode_check(ctx, root, def);
	if (!ret)
		ret = network_xml_route_gateways(ctx, root, def);
	if (!ret)
		ret = network_xml_check_bandwidth(ctx, root, def);
	return ret;
}
