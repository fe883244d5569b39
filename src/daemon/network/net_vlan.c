/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_vlan.c - a network's gateway in its VLAN: the host port's membership, and the
 * portgroups left without one */

#include <errno.h>
#include <stdio.h>

#include "core/bridge.h"
#include "daemon/network/net_services.h"
#include "daemon/network/net_vlan.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "util/log.h"

uint16_t net_vlan_native(const struct conf_vlan *v)
{
	if (!v->present)
		return 1;
	for (size_t i = 0; i < v->n_tags; i++)
		if (v->tags[i].native_mode != CONF_NATIVE_NONE)
			return (uint16_t)v->tags[i].id;
	if (v->n_tags == 1 && v->trunk != CONF_TRI_YES)
		return (uint16_t)v->tags[0].id;
	return 0;
}

int net_vlan_host_apply(struct kv_network *n, char *err, size_t errlen)
{
	uint16_t vid = net_vlan_native(&n->def->vlan);
	const struct vlan_spec_tag tag = { .id = vid, .native_mode = VLAN_NATIVE_NONE };
	const struct vlan_spec access = { .n_tags = 1, .tags = &tag };
	struct kv_port *host = n->svc->host_port;
	int ret;

	if (vid <= 1)
		return 0;
	ret = bridge_vlan_apply_spec(n->sw->br, host->no, &access);
	if (ret) {
		snprintf(err, errlen, "network '%s': its host port cannot join VLAN %u",
			 n->def->name, vid);
		return ret;
	}
	log_info("network %s: host port %s is an untagged member of VLAN %u", n->def->name,
		 host->name, vid);
	return 0;
}

/* "VLAN 20", or what a trunk without a native tag carries */
static void net_vlan_describe(const struct conf_vlan *v, char *buf, size_t len)
{
	uint16_t vid = net_vlan_native(v);
	size_t used;

	if (vid) {
		snprintf(buf, len, "VLAN %u", vid);
		return;
	}
	used = (size_t)snprintf(buf, len, "trunk of VLAN");
	for (size_t i = 0; i < v->n_tags && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%u", i ? "," : " ",
					 v->tags[i].id);
}

size_t net_vlan_warnings(const struct network_def *def, void (*fn)(const char *msg, void *opaque),
			 void *opaque)
{
	uint16_t gw = net_vlan_native(&def->vlan);
	char msg[512], what[128];
	size_t count = 0;

	if (!net_services_needs_host_port(def))
		return 0;
	if (!gw) {
		net_vlan_describe(&def->vlan, what, sizeof(what));
		snprintf(msg, sizeof(msg),
			 "network <vlan> (%s) has no native VLAN: its gateway, DHCP and DNS stay "
			 "on VLAN 1, which its ports do not carry; give one <tag> "
			 "nativeMode='untagged' to put them there",
			 what);
		fn(msg, opaque);
		count++;
	}
	for (size_t i = 0; i < def->n_portgroups; i++) {
		const struct network_portgroup *pg = &def->portgroups[i];

		if (!pg->vlan.present || net_vlan_native(&pg->vlan) == gw)
			continue;
		net_vlan_describe(&pg->vlan, what, sizeof(what));
		snprintf(msg, sizeof(msg),
			 "portgroup '%.64s' (%s) has no gateway: the network's <ip>, DHCP and DNS "
			 "are on VLAN %u; its VMs reach only each other",
			 pg->name, what, gw ? gw : 1);
		fn(msg, opaque);
		count++;
	}
	return count;
}

static void net_vlan_log_one(const char *msg, void *opaque)
{
	const struct network_def *def = opaque;

	log_warn("network %s: %s", def->name, msg);
}

void net_vlan_log_warnings(const struct network_def *def)
{
	net_vlan_warnings(def, net_vlan_log_one, (void *)def);
}
