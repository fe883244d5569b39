/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_overlay.c - a network's <kvnet:vxlan> made a VXLAN port of its switch (net_overlay.h) */

#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "conf/network_overlay.h"
#include "core/vlan.h"
#include "daemon/network/net_overlay.h"
#include "daemon/network/net_services.h"
#include "daemon/network/net_vlan.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "port/vxlan.h"
#include "util/log.h"

static_assert(NETWORK_VXLAN_REMOTES_MAX == VXLAN_REMOTES_MAX, "conf/ and port/ remote limits");
static_assert(NETWORK_VXLAN_MAP_MAX == VXLAN_MAP_MAX, "conf/ and port/ map limits");
static_assert(NETWORK_VXLAN_VNI_MAX == VXLAN_VNI_MAX, "conf/ and port/ VNI limits");
static_assert(NETWORK_VXLAN_OVERHEAD4 == VXLAN_OVERHEAD4 + 14, "IPv4 overhead with Ethernet");
static_assert(NETWORK_VXLAN_OVERHEAD6 == VXLAN_OVERHEAD6 + 14, "IPv6 overhead with Ethernet");

/* @a with UDP port @port into @ss */
static void net_overlay_sockaddr(const struct conf_addr *a, uint16_t port,
				 struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = a->v4;
		s4->sin_port = htons(port);
	} else {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->v6;
		s6->sin6_port = htons(port);
	}
}

/* the port's configuration from the element */
static void net_overlay_config(const struct network_vxlan *vx, struct vxlan_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->vni = vx->vni;
	cfg->no_vni = !vx->has_vni;
	for (size_t i = 0; i < vx->n_map; i++)
		cfg->map[i] = (struct vxlan_map){ (uint16_t)vx->map[i].vlan, vx->map[i].vni };
	cfg->n_map = (unsigned)vx->n_map;
	net_overlay_sockaddr(&vx->local, vx->dstport ? (uint16_t)vx->dstport : VXLAN_PORT_DEFAULT,
			     &cfg->local);
	for (size_t i = 0; i < vx->n_remotes; i++)
		net_overlay_sockaddr(&vx->remotes[i], 0, &cfg->remotes[i]);
	cfg->n_remotes = (unsigned)vx->n_remotes;
	if (vx->group.family != AF_UNSPEC) {
		net_overlay_sockaddr(&vx->group, 0, &cfg->group);
		cfg->group_ifindex = vx->group_dev ? if_nametoindex(vx->group_dev) : 0;
	}
	cfg->ttl = vx->ttl ? (uint8_t)vx->ttl : VXLAN_TTL_DEFAULT;
	cfg->tos = vx->tos >= 0 ? (uint8_t)vx->tos : 0;
	cfg->mtu = vx->underlay_mtu;
}

unsigned int net_overlay_mtu(const struct network_def *def)
{
	const struct network_vxlan *vx = def->vxlan;
	struct sockaddr_storage local;
	unsigned int mtu;

	if (!vx)
		return 0;
	net_overlay_sockaddr(&vx->local, 0, &local);
	mtu = vx->underlay_mtu ? vx->underlay_mtu : vxlan_underlay_mtu(&local);
	if (!mtu)
		mtu = 1500; /* the port's own assumption when no interface has the address */
	return mtu - network_vxlan_overhead(vx);
}

/*
 * The port's VLANs: its VNI carries the network's native VLAN untagged (as the host port
 * is a member of it), each mapped VLAN rides tagged in its own VNI; with no VNI of its own,
 * it leaves the default VLAN (whose floods it could only drop). Return: 0 or -errno
 */
static int net_overlay_vlans(struct kv_network *n, struct kv_port *p)
{
	const struct network_vxlan *vx = n->def->vxlan;
	uint16_t native = net_vlan_native(&n->def->vlan);
	struct bridge *br = n->sw->br;
	int ret = 0;

	if (vx->has_vni && native > 1) {
		const struct vlan_spec_tag tag = { .id = native, .native_mode = VLAN_NATIVE_NONE };
		const struct vlan_spec access = { .n_tags = 1, .tags = &tag };

		ret = bridge_vlan_apply_spec(br, p->no, &access);
	} else if (!vx->has_vni && n->sw->cfg.default_pvid) {
		ret = bridge_vlan_del(br, p->no, n->sw->cfg.default_pvid);
		ret = ret == -ENOENT ? 0 : ret;
	}
	for (size_t i = 0; !ret && i < vx->n_map; i++)
		ret = bridge_vlan_add(br, p->no, (uint16_t)vx->map[i].vlan, false, false);
	return ret;
}

size_t net_overlay_warnings(const struct network_def *def,
			    void (*fn)(const char *msg, void *opaque), void *opaque)
{
	unsigned int mtu = net_overlay_mtu(def);
	char msg[320];

	if (!def->vxlan || def->mtu <= mtu)
		return 0;
	snprintf(msg, sizeof(msg),
		 "<mtu size='%u'> is larger than the VXLAN overlay carries (%u): guests' frames "
		 "over %u bytes are dropped (vxlan drop over-mtu); remove <mtu> to give the "
		 "guests %u",
		 def->mtu, mtu, mtu, mtu);
	fn(msg, opaque);
	return 1;
}

static void net_overlay_log_one(const char *msg, void *opaque)
{
	const struct network_def *def = opaque;

	log_warn("network %s: %s", def->name, msg);
}

int net_overlay_start(struct kv_network *n, char *err, size_t errlen)
{
	const struct network_vxlan *vx = n->def->vxlan;
	char name[IF_NAMESIZE], why[256];
	struct vxlan_config cfg;
	struct kv_port *p;
	struct port *be;
	unsigned int mtu;
	int ret;

	if (!vx)
		return 0;
	if (vx->group_dev && !if_nametoindex(vx->group_dev)) {
		snprintf(err, errlen,
			 "network '%s': <kvnet:group dev='%s'>: no such interface on this host",
			 n->def->name, vx->group_dev);
		return -ENODEV;
	}
	network_vxlan_port_name(vx, n->sw->name, name, sizeof(name));
	if (switch_port_find(name)) {
		snprintf(err, errlen,
			 "network '%s': <kvnet:vxlan>: a port named '%s' exists already; give "
			 "the element a name='...' of its own",
			 n->def->name, name);
		return -EEXIST;
	}
	net_overlay_config(vx, &cfg);
	/* a socket needs no privilege: a user's kvnetd runs overlays too (dstport >= 1024) */
	ret = vxlan_port_open(name, &cfg, &be, why, sizeof(why));
	if (ret) {
		snprintf(err, errlen, "network '%s': <kvnet:vxlan>: %s", n->def->name, why);
		return ret;
	}
	ret = switch_port_add(n->sw, name, be, KV_PORT_TUNNEL, NULL, &p, err, errlen);
	if (ret) {
		be->ops->destroy(be);
		return ret;
	}
	p->net = n; /* port.del refuses it: it goes with the network */
	n->svc->overlay = p;
	ret = net_overlay_vlans(n, p);
	if (ret) {
		snprintf(err, errlen,
			 "network '%s': <kvnet:vxlan>: port %s cannot join its VLANs: %s",
			 n->def->name, name, strerror(-ret));
		net_overlay_stop(n);
		return ret;
	}
	mtu = net_overlay_mtu(n->def);
	net_overlay_warnings(n->def, net_overlay_log_one, n->def);
	log_info("network %s: VXLAN port %s on its bridge %s (guests' MTU %u)", n->def->name, name,
		 n->sw->name, n->def->mtu ? n->def->mtu : mtu);
	return 0;
}

void net_overlay_stop(struct kv_network *n)
{
	if (!n->svc || !n->svc->overlay)
		return;
	n->svc->overlay->net = NULL;
	switch_port_del(n->svc->overlay);
	n->svc->overlay = NULL;
}
