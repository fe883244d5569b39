/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_uplink.c - the uplinks of a bridge-mode network: an 802.1Q trunk, active-backup */

#include <errno.h>
#include <linux/ethtool.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conf/network_def.h"
#include "core/vlan.h"
#include "daemon/network/net_services.h"
#include "daemon/network/net_uplink.h"
#include "daemon/network/network.h"
#include "daemon/switch/datapath.h"
#include "daemon/host/privilege.h"
#include "daemon/switch/switch.h"
#include "port/port.h"
#include "services/netlink.h"
#include "util/log.h"

#define NET_VID_WORDS (VLAN_N_VID / 64)

const char *net_uplink_first(const struct network_def *def)
{
	/* the parser puts <forward dev> first in the list when there is no <interface> */
	if (def->forward.mode != CONF_FORWARD_BRIDGE && def->forward.mode != CONF_FORWARD_PRIVATE &&
	    def->forward.mode != CONF_FORWARD_VEPA)
		return NULL;
	if (def->forward.n_ifaces)
		return def->forward.ifaces[0];
	return def->forward.dev;
}

static bool net_uplink_is(const struct net_uplink *u, const struct kv_port *p)
{
	for (size_t i = 0; i < u->n_ports; i++)
		if (u->ports[i] == p)
			return true;
	return false;
}

static void net_vid_set(uint64_t *vids, unsigned long vid)
{
	if (vlan_vid_valid(vid))
		vids[vid >> 6] |= 1ull << (vid & 63);
}

static void net_vids_of(uint64_t *vids, const struct conf_vlan *v)
{
	for (size_t i = 0; v->present && i < v->n_tags; i++)
		net_vid_set(vids, v->tags[i].id);
}

/*
 * The VIDs network @n's ports use: every member VID of every port of its switch but the
 * uplinks (VM ports, the host port, any port of a joined switch), and those of the
 * network's and its portgroups' <vlan>, so a VLAN is on the trunk before its first VM.
 */
static void net_uplink_vids(const struct kv_network *n, uint64_t *vids)
{
	const struct network_def *def = n->def;
	const struct net_uplink *u = &n->svc->uplink;

	memset(vids, 0, NET_VID_WORDS * sizeof(*vids));
	for (const struct kv_port *p = n->sw->ports; p; p = p->next) {
		const struct vlan_port *v;

		if (net_uplink_is(u, p))
			continue;
		v = bridge_port_vlan(n->sw->br, p->no);
		for (size_t w = 0; v && w < NET_VID_WORDS; w++)
			vids[w] |= v->member[w];
	}
	net_vids_of(vids, &def->vlan);
	for (size_t i = 0; i < def->n_portgroups; i++)
		net_vids_of(vids, &def->portgroups[i].vlan);
}

/* the uplinks' native VLAN: the network's <vlan> tag with a nativeMode, else VLAN 1 */
static uint16_t net_uplink_native(const struct network_def *def, bool *untagged)
{
	*untagged = true;
	for (size_t i = 0; def->vlan.present && i < def->vlan.n_tags; i++) {
		const struct conf_vlan_tag *t = &def->vlan.tags[i];

		if (t->native_mode == CONF_NATIVE_NONE || !vlan_vid_valid(t->id))
			continue;
		*untagged = t->native_mode == CONF_NATIVE_UNTAGGED;
		return (uint16_t)t->id;
	}
	return 1;
}

/* make uplink @p a member of @vids (tagged) and of @native, and of nothing else */
static void net_uplink_trunk(struct kv_port *p, const uint64_t *vids, uint16_t native,
			     bool native_untagged)
{
	struct bridge *br = p->sw->br;
	const struct vlan_port *v = bridge_port_vlan(br, p->no);

	if (!v)
		return;
	for (uint16_t vid = VLAN_VID_MIN; vid <= VLAN_VID_MAX; vid++) {
		bool want = vid == native || ((vids[vid >> 6] >> (vid & 63)) & 1);
		bool pvid = vid == native, untagged = pvid && native_untagged;

		if (!want) {
			if (vlan_is_member(v, vid) && !bridge_vlan_del(br, p->no, vid))
				log_debug("uplink %s: left VLAN %u", p->name, vid);
			continue;
		}
		if (vlan_is_member(v, vid) && vlan_is_untagged(v, vid) == untagged &&
		    (v->pvid == vid) == pvid)
			continue;
		if (!bridge_vlan_add(br, p->no, vid, pvid, untagged))
			log_debug("uplink %s: VLAN %u%s%s", p->name, vid, pvid ? " pvid" : "",
				  untagged ? " untagged" : " tagged");
	}
}

/* the first uplink with carrier forwards, the others are disabled */
static void net_uplink_elect(struct kv_network *n)
{
	struct net_uplink *u = &n->svc->uplink;
	struct kv_port *best = NULL;

	for (size_t i = 0; i < u->n_ports && !best; i++)
		if (u->ports[i]->link_up)
			best = u->ports[i];
	if (!best) /* none has carrier: the one forwarding stays the one */
		best = u->active ? u->active : u->ports[0];
	if (best == u->active)
		return;
	if (u->active)
		log_info("network %s: uplink %s active, %s backup", n->def->name, best->name,
			 u->active->name);
	u->active = best;
	if (u->n_ports < 2)
		return;
	for (size_t i = 0; i < u->n_ports; i++)
		switch_port_set_state(u->ports[i], u->ports[i] == best ? BR_STATE_FORWARDING
								       : BR_STATE_DISABLED);
}

void net_uplink_sync(struct kv_network *n)
{
	uint64_t vids[NET_VID_WORDS];
	bool native_untagged;
	uint16_t native;

	if (!n->svc || !n->svc->uplink.n_ports || !n->sw)
		return;
	net_uplink_vids(n, vids);
	native = net_uplink_native(n->def, &native_untagged);
	for (size_t i = 0; i < n->svc->uplink.n_ports; i++)
		net_uplink_trunk(n->svc->uplink.ports[i], vids, native, native_untagged);
	net_uplink_elect(n);
}

/* is interface @name a kernel bridge: its driver, as ethtool tells it, is "bridge" */
static bool net_kernel_bridge(const char *name)
{
	struct ethtool_drvinfo info = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr = { 0 };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool ret;

	if (fd < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_data = (char *)&info;
	ret = !ioctl(fd, SIOCETHTOOL, &ifr) && !strcmp(info.driver, "bridge");
	close(fd);
	return ret;
}

int net_uplink_host_bridge(const struct network_def *def, char *err, size_t errlen)
{
	const char *br = def->bridge.name;

	if (def->forward.mode != CONF_FORWARD_BRIDGE || def->forward.n_ifaces || def->forward.dev ||
	    !br || switch_find(br) || !if_nametoindex(br))
		return 0;
	if (net_kernel_bridge(br))
		return 1;
	snprintf(err, errlen,
		 "network '%s': <bridge name='%s'> is an interface of kvnetd's namespace but not "
		 "a bridge; name a kernel bridge to join, or use <forward dev='%s'/> to make it "
		 "the uplink",
		 def->name, br, br);
	return -EINVAL;
}

/*
 * A kvnetd killed with -9 leaves its veth pairs: each interface named SWITCH-up or SWITCH-br,
 * SWITCH a virbrN kvnet has no switch of, is one; deleting it deletes its pair.
 */
static void net_uplink_stale_veths(const struct kv_network *n)
{
	struct if_nameindex *list = if_nameindex();
	char sw[IF_NAMESIZE], err[256];

	for (struct if_nameindex *i = list; i && i->if_index; i++) {
		size_t len = strlen(i->if_name), digits;

		if (len < 4 ||
		    (strcmp(i->if_name + len - 3, "-up") && strcmp(i->if_name + len - 3, "-br")))
			continue;
		snprintf(sw, sizeof(sw), "%.*s", (int)(len - 3), i->if_name);
		digits = strspn(sw + 5, "0123456789");
		/* another switch's pair is in use; one of @n's, not made yet, is stale */
		if (strncmp(sw, "virbr", 5) || !digits || sw[5 + digits] ||
		    (switch_find(sw) && strcmp(sw, n->sw->name)))
			continue;
		if (!netlink_link_del(i->if_name, err, sizeof(err)))
			log_warn("network %s: removed veth %s, left by a kvnetd that did not exit "
				 "cleanly",
				 n->def->name, i->if_name);
	}
	if (list)
		if_freenameindex(list);
}

/*
 * Network @n joins kernel bridge <bridge name>: a veth pair SWITCH-up - SWITCH-br, the latter
 * enslaved to it, both up; the name of the uplink end into @up.
 * Return: 0, or a negative errno with a message (the pair is gone then)
 */
static int net_uplink_veth(struct kv_network *n, char *up, size_t len, char *err, size_t errlen)
{
	const char *kbr = n->def->bridge.name;
	char peer[IF_NAMESIZE];
	int ret;

	if (!kv_privileged())
		return kv_priv_refuse(err, errlen, "network '%s': joining kernel bridge '%s'",
				      n->def->name, kbr);
	if (strlen(n->sw->name) + 3 >= IF_NAMESIZE || len < IF_NAMESIZE) {
		snprintf(err, errlen, "network '%s': switch name '%s' leaves no room for '-up'",
			 n->def->name, n->sw->name);
		return -ENAMETOOLONG;
	}
	snprintf(up, len, "%.*s-up", IF_NAMESIZE - 4, n->sw->name);
	snprintf(peer, sizeof(peer), "%.*s-br", IF_NAMESIZE - 4, n->sw->name);
	datapath_unlock(); /* slow; only this thread changes switches meanwhile */
	net_uplink_stale_veths(n);
	ret = netlink_veth_add(up, peer, err, errlen);
	if (!ret)
		ret = netlink_link_set_master(peer, kbr, err, errlen);
	if (!ret)
		ret = netlink_link_set_up(peer, -1, true, err, errlen);
	if (!ret)
		ret = netlink_link_set_up(up, -1, true, err, errlen);
	if (ret && if_nametoindex(up)) {
		char e2[256];

		if (netlink_link_del(up, e2, sizeof(e2)))
			log_warn("network %s: %s", n->def->name, e2);
	}
	datapath_lock();
	if (ret) {
		up[0] = '\0';
		return ret;
	}
	log_info("network %s: joined kernel bridge %s through %s - %s", n->def->name, kbr, up,
		 peer);
	return 0;
}

/* open uplink @dev of network @n as a port of its switch */
static int net_uplink_open(struct kv_network *n, const char *dev, struct kv_port **out, char *err,
			   size_t errlen)
{
	char why[256];
	struct port *be;
	int e;

	if (switch_port_find(dev)) {
		snprintf(err, errlen, "network '%s': forward interface '%s' is already a port",
			 n->def->name, dev);
		return -EEXIST;
	}
	datapath_unlock();
	e = af_packet_open(dev, &be, why, sizeof(why));
	datapath_lock();
	if (e) {
		snprintf(err, errlen, "network '%s': forward interface: %s", n->def->name, why);
		return e == -ENODEV || e == -ENOENT ? -ENOENT : e;
	}
	e = switch_port_add(n->sw, dev, be, KV_PORT_DEV, NULL, out, err, errlen);
	if (e) {
		be->ops->destroy(be);
		return e;
	}
	(*out)->net = n;
	/* on a VEPA or private switch, the port to the adjacent bridge (core/bridge.h) */
	if (n->def->forward.mode == CONF_FORWARD_PRIVATE ||
	    n->def->forward.mode == CONF_FORWARD_VEPA)
		bridge_port_set_uplink(n->sw->br, (*out)->no, true);
	return 0;
}

int net_uplink_start(struct kv_network *n, char *err, size_t errlen)
{
	const struct network_def *def = n->def;
	struct net_uplink *u = &n->svc->uplink;
	size_t count = def->forward.n_ifaces;
	const char *only = net_uplink_first(def);
	int ret = 0;

	if (!only && def->forward.mode == CONF_FORWARD_BRIDGE && def->bridge.name &&
	    strcmp(def->bridge.name, n->sw->name)) {
		/* net_uplink_host_bridge() named the switch after itself: join the kernel's */
		ret = net_uplink_veth(n, u->veth, sizeof(u->veth), err, errlen);
		if (ret)
			return ret;
		only = u->veth;
	}
	if (!only)
		return 0;
	u->ports = calloc(count ? count : 1, sizeof(*u->ports));
	if (!u->ports) {
		ret = -ENOMEM;
		count = 0;
	} else if (!count) {
		/* <forward dev> alone (the parser lists it, but do not rely on it), or the veth */
		ret = net_uplink_open(n, only, &u->ports[0], err, errlen);
		u->n_ports = !ret;
	}
	for (size_t i = 0; i < count && !ret; i++) {
		ret = net_uplink_open(n, def->forward.ifaces[i], &u->ports[u->n_ports], err,
				      errlen);
		if (!ret)
			u->n_ports++;
	}
	if (ret) {
		net_uplink_stop(n);
		return ret;
	}
	net_uplink_sync(n);
	return 0;
}

void net_uplink_stop(struct kv_network *n)
{
	struct net_uplink *u = n->svc ? &n->svc->uplink : NULL;

	if (!u)
		return;
	for (size_t i = 0; i < u->n_ports; i++)
		switch_port_del(u->ports[i]);
	free(u->ports);
	if (u->veth[0]) {
		char err[256];

		/* its peer, in the kernel bridge, goes with it */
		datapath_unlock();
		if (netlink_link_del(u->veth, err, sizeof(err)))
			log_warn("network %s: %s", n->def->name, err);
		datapath_lock();
	}
	memset(u, 0, sizeof(*u));
}

enum net_uplink_state net_uplink_state(const struct kv_network *n, size_t i)
{
	const struct net_uplink *u = &n->svc->uplink;
	const struct kv_port *p = u->ports[i];

	if (!p->link_up)
		return NET_UPLINK_DOWN;
	return p == u->active ? NET_UPLINK_ACTIVE : NET_UPLINK_BACKUP;
}

const char *net_uplink_state_name(enum net_uplink_state s)
{
	switch (s) {
	case NET_UPLINK_ACTIVE:
		return "active";
	case NET_UPLINK_BACKUP:
		return "backup";
	default:
		return "down";
	}
}
