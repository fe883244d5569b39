/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stub_backends.c - fake tap/AF_PACKET back-ends and netlink, for tests that drive the
 * control side without touching the machine's interfaces
 *
 * tap_create() and af_packet_open() make a port on an eventfd that never has
 * input; names starting with "missing" fail as a missing interface would,
 * and "busy" as an existing tap would. netlink calls succeed, except for a
 * namespace named "nons", which does not exist.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "port/port.h"
#include "services/firewall.h"
#include "services/netlink.h"

static int stub_rx(struct port *p, struct frame **frames, unsigned n)
{
	(void)p;
	(void)frames;
	(void)n;
	return 0;
}

static int stub_tx(struct port *p, struct frame **frames, unsigned n)
{
	(void)p;
	(void)frames;
	return (int)n;
}

static void stub_destroy(struct port *p)
{
	close(p->fd);
	free(p);
}

static const struct port_ops stub_tap_ops = {
	.kind = "tap", .rx_burst = stub_rx, .tx_burst = stub_tx, .destroy = stub_destroy
};
static const struct port_ops stub_dev_ops = {
	.kind = "dev", .rx_burst = stub_rx, .tx_burst = stub_tx, .destroy = stub_destroy
};

static int stub_port(const struct port_ops *ops, const char *ifname, struct port **out, char *err,
		     size_t errlen)
{
	static int next_ifindex = 100;
	struct port *p;

	if (!strncmp(ifname, "missing", 7)) {
		snprintf(err, errlen, "interface '%s' does not exist", ifname);
		return -ENODEV;
	}
	if (!strncmp(ifname, "busy", 4)) {
		snprintf(err, errlen, "cannot create tap '%s': Device or resource busy", ifname);
		return -EBUSY;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "port '%s': %s", ifname, strerror(ENOMEM));
		return -ENOMEM;
	}
	p->fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	p->ops = ops;
	p->ifindex = next_ifindex++;
	p->offloads = PORT_OFFLOAD_CSUM | PORT_OFFLOAD_TSO4 | PORT_OFFLOAD_TSO6;
	snprintf(p->ifname, sizeof(p->ifname), "%s", ifname);
	*out = p;
	return 0;
}

int tap_create(const char *ifname, struct port **out, char *err, size_t errlen)
{
	return stub_port(&stub_tap_ops, ifname, out, err, errlen);
}

/* the unit tests run one datapath thread: one queue, as the plain call makes */
int tap_create_queues(const char *ifname, unsigned int n, struct port **out, char *err,
		      size_t errlen)
{
	(void)n;
	return stub_port(&stub_tap_ops, ifname, out, err, errlen);
}

int tap_persist(const char *ifname, char *err, size_t errlen)
{
	if (!strncmp(ifname, "busy", 4)) {
		snprintf(err, errlen, "cannot create tap '%s': Device or resource busy", ifname);
		return -EBUSY;
	}
	return 0;
}

int netlink_link_del(const char *ifname, char *err, size_t errlen)
{
	(void)ifname;
	(void)err;
	(void)errlen;
	return 0;
}

int netlink_veth_add(const char *name, const char *peer, char *err, size_t errlen)
{
	(void)name;
	(void)peer;
	(void)err;
	(void)errlen;
	return 0;
}

int netlink_link_set_master(const char *ifname, const char *master, char *err, size_t errlen)
{
	(void)ifname;
	(void)master;
	(void)err;
	(void)errlen;
	return 0;
}

int af_packet_open(const char *ifname, struct port **out, char *err, size_t errlen)
{
	return stub_port(&stub_dev_ops, ifname, out, err, errlen);
}

/* the unit tests run one datapath thread: one queue, as the plain call makes */
int af_packet_open_queues(const char *ifname, unsigned int n, struct port **out, char *err,
			  size_t errlen)
{
	(void)n;
	return stub_port(&stub_dev_ops, ifname, out, err, errlen);
}

int netlink_netns_open(const char *name, char *err, size_t errlen)
{
	if (!strcmp(name, "nons")) {
		snprintf(err, errlen, "network namespace '%s' does not exist", name);
		return -ENOENT;
	}
	return eventfd(0, EFD_CLOEXEC);
}

int netlink_link_set_netns(int ifindex, int netns_fd, char *err, size_t errlen)
{
	(void)ifindex;
	(void)netns_fd;
	(void)err;
	(void)errlen;
	return 0;
}

int netlink_link_set_up(const char *ifname, int netns_fd, bool up, char *err, size_t errlen)
{
	(void)ifname;
	(void)netns_fd;
	(void)up;
	(void)err;
	(void)errlen;
	return 0;
}

int netlink_link_set_mtu(const char *ifname, int netns_fd, unsigned mtu, char *err, size_t errlen)
{
	(void)ifname;
	(void)netns_fd;
	(void)mtu;
	(void)err;
	(void)errlen;
	return 0;
}

int netlink_link_set_mac(const char *ifname, int netns_fd, const uint8_t mac[6], char *err,
			 size_t errlen)
{
	(void)ifname;
	(void)netns_fd;
	(void)mac;
	(void)err;
	(void)errlen;
	return 0;
}

int netlink_addr_add(const char *ifname, int family, const void *addr, unsigned prefix, char *err,
		     size_t errlen)
{
	(void)ifname;
	(void)family;
	(void)addr;
	(void)prefix;
	(void)err;
	(void)errlen;
	return 0;
}

int netlink_route_change(bool add, const char *ifname, int family, const void *dst, unsigned prefix,
			 const void *gw, uint32_t metric, char *err, size_t errlen)
{
	(void)add;
	(void)ifname;
	(void)family;
	(void)dst;
	(void)prefix;
	(void)gw;
	(void)metric;
	(void)err;
	(void)errlen;
	return 0;
}

int netlink_link_set_ipv6(const char *ifname, bool on, char *err, size_t errlen)
{
	(void)ifname;
	(void)on;
	(void)err;
	(void)errlen;
	return 0;
}

/* no nftables here: kvnetd's control side sees a host without it */
int firewall_init(char *err, size_t errlen)
{
	snprintf(err, errlen, "nftables is stubbed out in this test");
	return -EPERM;
}

void firewall_fini(void)
{
}

int firewall_network_add(const struct network_def *def, const char *ifname, char *err,
			 size_t errlen)
{
	(void)def;
	(void)ifname;
	snprintf(err, errlen, "nftables is stubbed out in this test");
	return -EPERM;
}

int firewall_network_del(const char *name, char *err, size_t errlen)
{
	(void)name;
	(void)err;
	(void)errlen;
	return 0;
}
