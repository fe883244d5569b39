/* SPDX-License-Identifier: GPL-2.0-or-later */
/* switch_backend.c - a switch port's tap, or an existing interface through AF_PACKET, or a
 * stand-in for one that is not there */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "daemon/host/privilege.h"
#include "daemon/switch/datapath.h"
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
	/*
	 * A queue a datapath thread, a tap's or a fanout group's socket: the kernel spreads the
	 * flows over them, and each thread reads and sends through its own
	 */
	ret = tap ? tap_create_queues(name, datapath_threads(), &be, err, errlen)
		  : af_packet_open_queues(name, datapath_threads(), &be, err, errlen);
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

static int switch_absent_rx(struct port *p, struct frame **frames, unsigned n)
{
	(void)p;
	(void)frames;
	(void)n;
	return 0;
}

/* never called while the link is down, which it always is; the frames are the caller's */
static int switch_absent_tx(struct port *p, struct frame **frames, unsigned n)
{
	(void)frames;
	p->tx_errors += n;
	return 0;
}

static void switch_absent_destroy(struct port *p)
{
	close(p->fd);
	free(p);
}

static const struct port_ops switch_absent_ops = {
	.kind = "dev",
	.rx_burst = switch_absent_rx,
	.tx_burst = switch_absent_tx,
	.destroy = switch_absent_destroy,
};

int switch_backend_absent(const char *name, struct port **out)
{
	struct port *p = calloc(1, sizeof(*p));

	if (!p)
		return -ENOMEM;
	/* the datapath polls every port's fd: one that never becomes readable */
	p->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (p->fd < 0) {
		free(p);
		return -errno;
	}
	p->ops = &switch_absent_ops;
	snprintf(p->ifname, sizeof(p->ifname), "%s", name);
	p->ifindex = -1;
	*out = p;
	return 0;
}
