/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_backend.c - a switch port's tap, or an existing interface through AF_PACKET */

#include <errno.h>
#include <unistd.h>

#include "daemon/host/privilege.h"
#include "daemon/switch/switch_backend.h"
#include "port/port.h"
#include "services/netlink.h"

int switch_backend_open(const char *name, bool tap, const char *netns, unsigned int mtu,
			const uint8_t *mac, struct port **out, char *err, size_t errlen)
{
	struct port *be;
	int nsfd = -1, ret;

	if (!kv_privileged())
		return kv_priv_refuse(err, errlen,
				      tap ? "tap port '%s'"
					  : "port '%s' (an existing interface, by AF_PACKET)",
				      name);
	if (netns) {
		nsfd = netlink_netns_open(netns, err, errlen);
		if (nsfd < 0)
			return nsfd;
	}
	ret = tap ? tap_create(name, &be, err, errlen) : af_packet_open(name, &be, err, errlen);
	if (ret) {
		/* the kernel's EBUSY: another process holds an interface of that name */
		if (ret == -EBUSY)
			ret = -EEXIST;
		goto out;
	}
	if (tap && mtu)
		ret = netlink_link_set_mtu(name, -1, mtu, err, errlen);
	if (tap && !ret && mac)
		ret = netlink_link_set_mac(name, -1, mac, err, errlen);
	if (tap && !ret && nsfd >= 0)
		ret = netlink_link_set_netns(be->ifindex, nsfd, err, errlen);
	if (tap && !ret && nsfd < 0)
		ret = netlink_link_set_up(name, -1, true, err, errlen);
	if (ret)
		be->ops->destroy(be);
	else
		*out = be;
out:
	if (nsfd >= 0)
		close(nsfd);
	return ret;
}
