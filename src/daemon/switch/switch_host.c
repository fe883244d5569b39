/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_host.c - a switch's host netdev: the tap named like the switch */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/host/privilege.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_host.h"
#include "port/port.h"
#include "services/netlink.h"
#include "util/file.h"

#define SWITCH_HOST_MACHINE_ID "/etc/machine-id"

/* FNV-1a, 64 bits, continued from @h over @len bytes of @data */
static uint64_t switch_host_hash(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;

	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

void switch_host_mac(const char *name, uint8_t mac[6])
{
	uint64_t h = 0xcbf29ce484222325ull;
	char *id = NULL;
	size_t len = 0;

	/* without a machine id (a container may have none) the name alone decides */
	if (!file_read(SWITCH_HOST_MACHINE_ID, 64, &id, &len))
		h = switch_host_hash(h, id, strcspn(id, "\n"));
	free(id);
	h = switch_host_hash(h, "\0kvnet-bridge\0", 14);
	h = switch_host_hash(h, name, strlen(name));
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(h >> (8 * i));
	mac[0] = (uint8_t)((mac[0] & 0xfe) | 0x02); /* unicast, locally administered */
}

/* Make the tap @name as @cfg says, with @mac, and up. Slow: without the datapath lock.
 * Return: 0 with the back-end in *@out, or a negative errno with a message */
static int switch_host_make(const char *name, const uint8_t mac[6],
			    const struct switch_host_cfg *cfg, struct port **out, char *err,
			    size_t errlen)
{
	struct port *be;
	int ret = tap_create(name, &be, err, errlen);

	if (ret) {
		/* the kernel's EBUSY: another process holds a tap of that name */
		if (ret == -EBUSY)
			ret = -EEXIST;
		if (ret == -EEXIST)
			snprintf(err, errlen, "an interface named '%s' already exists on this host",
				 name);
		return ret;
	}
	ret = netlink_link_set_mac(name, -1, mac, err, errlen);
	if (!ret && cfg->mtu)
		ret = netlink_link_set_mtu(name, -1, cfg->mtu, err, errlen);
	if (!ret)
		ret = netlink_link_set_ipv6(name, cfg->ipv6, err, errlen);
	if (!ret)
		ret = netlink_link_set_up(name, -1, true, err, errlen);
	if (ret) {
		be->ops->destroy(be);
		return ret;
	}
	*out = be;
	return 0;
}

int switch_host_add(struct kv_switch *sw, const struct switch_host_cfg *cfg, char *err,
		    size_t errlen)
{
	static const struct switch_host_cfg defaults;
	struct kv_port *p;
	struct port *be;
	uint8_t mac[6];
	int ret;

	if (!kv_privileged())
		return 0;
	cfg = cfg ? cfg : &defaults;
	p = switch_port_find(sw->name);
	if (p) {
		snprintf(err, errlen, "a port named '%s' already exists (on bridge '%s')", sw->name,
			 p->sw->name);
		return -EEXIST;
	}
	if (cfg->mac)
		memcpy(mac, cfg->mac, sizeof(mac));
	else
		switch_host_mac(sw->name, mac);
	/* only this thread changes switches, so @sw stays valid while unlocked */
	datapath_unlock();
	ret = switch_host_make(sw->name, mac, cfg, &be, err, errlen);
	datapath_lock();
	if (ret)
		return ret;
	ret = switch_port_add(sw, sw->name, be, KV_PORT_HOST, NULL, &p, err, errlen);
	if (ret) {
		be->ops->destroy(be);
		return ret;
	}
	if (cfg->mtu)
		bridge_port_set_mtu(sw->br, p->no, cfg->mtu);
	sw->host = p;
	return 0;
}
