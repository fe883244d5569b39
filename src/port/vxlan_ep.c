/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vxlan_ep.c - VXLAN ports' local endpoints: the sockets, shared by ports with other VNIs
 *
 * A port joins the endpoint of its local address and port, made with its
 * first port and closed with its last (see vxlan_priv.h). Ports on one
 * endpoint must not carry a VNI twice (a datagram's VNI picks its port)
 * and share the sockets' TTL. The checks of a port's settings and the
 * underlay MTU are here too: all that is done once, when a port is made.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/filter.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "port/vxlan_priv.h"

/* the endpoints in use: control thread, under the datapath lock */
static struct vxlan_ep *vxlan_eps;

uint32_t vxlan_underlay_mtu(const struct sockaddr_storage *local)
{
	struct ifaddrs *ifa, *a;
	uint32_t mtu = 0;

	if (getifaddrs(&ifa))
		return 0;
	for (a = ifa; a && !mtu; a = a->ifa_next) {
		struct ifreq ifr = { 0 };
		int s;

		if (!a->ifa_addr || a->ifa_addr->sa_family != local->ss_family)
			continue;
		if (local->ss_family == AF_INET
			    ? ((struct sockaddr_in *)a->ifa_addr)->sin_addr.s_addr !=
				      ((const struct sockaddr_in *)local)->sin_addr.s_addr
			    : memcmp(&((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr,
				     &((const struct sockaddr_in6 *)local)->sin6_addr,
				     sizeof(struct in6_addr)))
			continue;
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", a->ifa_name);
		s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (s < 0)
			break;
		if (!ioctl(s, SIOCGIFMTU, &ifr) && ifr.ifr_mtu > 0)
			mtu = (uint32_t)ifr.ifr_mtu;
		close(s);
	}
	freeifaddrs(ifa);
	return mtu;
}

/* set the TTL (hop limit) and TOS (traffic class) of @fd's datagrams */
int vxlan_set_ttl(int fd, bool v6, const struct vxlan_config *cfg)
{
	int ttl = cfg->ttl, tos = cfg->tos;

	if (v6)
		return setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl)) ||
		       setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
	return setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) ||
	       setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
}

/*
 * Room for VXLAN_SOCK_BUF bytes each way: the default (about 200 KB) holds a few hundred
 * datagrams, less than a TCP window of a guest's, so a datapath that is late by a moment
 * (a loaded host) lost them, and TCP across the overlay collapsed into retransmits. With
 * CAP_NET_ADMIN past the host's rmem_max / wmem_max; without it, as far as they allow.
 */
void vxlan_set_bufs(int fd)
{
	int size = VXLAN_SOCK_BUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)))
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)))
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
}

/*
 * The raw UDP socket for per-flow source ports, bound to the local address, reading nothing
 * (a filter drops every copy of the host's UDP it would get). Return: its fd, or -1 without
 * the privilege (the port then sends from its bound socket)
 */
static int vxlan_raw_open(const struct vxlan_config *cfg)
{
	static struct sock_filter drop_all[] = { BPF_STMT(BPF_RET | BPF_K, 0) };
	struct sock_fprog prog = { .len = 1, .filter = drop_all };
	bool v6 = cfg->local.ss_family == AF_INET6;
	struct sockaddr_storage a = cfg->local;
	int fd, off = 6; /* the UDP checksum's offset, for IPV6_CHECKSUM */

	fd = socket(cfg->local.ss_family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		return -1;
	vxlan_set_bufs(fd);
	/* a raw socket binds an address only: IPv6 takes port 0 or the protocol */
	((struct sockaddr_in *)&a)->sin_port = 0;
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog)) ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off, sizeof(off))) ||
	    vxlan_set_ttl(fd, v6, cfg) ||
	    bind(fd, (struct sockaddr *)&a,
		 v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* check @cfg's VLAN map; Return: 0, or -EINVAL with @err filled */
static int vxlan_check_map(const char *name, const struct vxlan_config *cfg, char *err,
			   size_t errlen)
{
	if (cfg->n_map > VXLAN_MAP_MAX || (cfg->no_vni && !cfg->n_map)) {
		snprintf(err, errlen, "vxlan port '%s': %u VLANs mapped (expected %d..%d)", name,
			 cfg->n_map, cfg->no_vni ? 1 : 0, VXLAN_MAP_MAX);
		return -EINVAL;
	}
	for (unsigned k = 0; k < cfg->n_map; k++) {
		const struct vxlan_map *m = &cfg->map[k];

		if (!m->vid || m->vid > 4094 || m->vni > VXLAN_VNI_MAX) {
			snprintf(err, errlen,
				 "vxlan port '%s': VLAN %u as VNI %u (expected VLAN 1..4094, VNI "
				 "0..%u)",
				 name, m->vid, m->vni, VXLAN_VNI_MAX);
			return -EINVAL;
		}
		if (!cfg->no_vni && m->vni == cfg->vni) {
			snprintf(err, errlen,
				 "vxlan port '%s': VNI %u is the port's own (for untagged frames); "
				 "VLAN %u needs another",
				 name, m->vni, m->vid);
			return -EINVAL;
		}
		for (unsigned j = 0; j < k; j++) {
			if (cfg->map[j].vid == m->vid || cfg->map[j].vni == m->vni) {
				snprintf(err, errlen,
					 "vxlan port '%s': VLAN %u or VNI %u is mapped twice", name,
					 m->vid, m->vni);
				return -EINVAL;
			}
		}
	}
	return 0;
}

/* check @cfg's TTL and map; Return: 0, or -EINVAL with @err filled */
static int vxlan_check_rest(const char *name, const struct vxlan_config *cfg, char *err,
			    size_t errlen)
{
	if (!cfg->ttl) {
		snprintf(err, errlen, "vxlan port '%s': ttl 0 (expected 1..255)", name);
		return -EINVAL;
	}
	return vxlan_check_map(name, cfg, err, errlen);
}

/* whether @ss is a multicast address */
static bool vxlan_is_multicast(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return IN_MULTICAST(ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr));
	return ss->ss_family == AF_INET6 &&
	       IN6_IS_ADDR_MULTICAST(&((const struct sockaddr_in6 *)ss)->sin6_addr);
}

/* check a port with a group (and no remotes); Return: 0, or -EINVAL with @err filled */
static int vxlan_check_group(const char *name, const struct vxlan_config *cfg, char *err,
			     size_t errlen)
{
	if (cfg->n_remotes) {
		snprintf(err, errlen,
			 "vxlan port '%s': remotes and a group given; expected one of them", name);
		return -EINVAL;
	}
	if (cfg->group.ss_family != cfg->local.ss_family || !vxlan_is_multicast(&cfg->group)) {
		snprintf(err, errlen,
			 "vxlan port '%s': the group is not a multicast address of the local "
			 "address's family (%s)",
			 name,
			 cfg->local.ss_family == AF_INET ? "IPv4: 224.0.0.0/4" : "IPv6: ff00::/8");
		return -EINVAL;
	}
	return vxlan_check_rest(name, cfg, err, errlen);
}

/* check @cfg; Return: 0, or -EINVAL with @err filled */
static int vxlan_check(const char *name, const struct vxlan_config *cfg, char *err, size_t errlen)
{
	sa_family_t fam = cfg->local.ss_family;

	if (cfg->vni > VXLAN_VNI_MAX) {
		snprintf(err, errlen, "vxlan port '%s': vni %u is out of range (expected 0..%u)",
			 name, cfg->vni, VXLAN_VNI_MAX);
		return -EINVAL;
	}
	if (fam != AF_INET && fam != AF_INET6) {
		snprintf(err, errlen, "vxlan port '%s': the local address is not IPv4 or IPv6",
			 name);
		return -EINVAL;
	}
	if (cfg->group.ss_family != AF_UNSPEC)
		return vxlan_check_group(name, cfg, err, errlen);
	if (!cfg->n_remotes || cfg->n_remotes > VXLAN_REMOTES_MAX) {
		snprintf(err, errlen, "vxlan port '%s': %u remotes (expected 1..%d, or a group)",
			 name, cfg->n_remotes, VXLAN_REMOTES_MAX);
		return -EINVAL;
	}
	for (unsigned r = 0; r < cfg->n_remotes; r++) {
		if (cfg->remotes[r].ss_family != fam) {
			snprintf(err, errlen,
				 "vxlan port '%s': remote %u is not of the local address's family "
				 "(%s)",
				 name, r + 1, fam == AF_INET ? "IPv4" : "IPv6");
			return -EINVAL;
		}
	}
	return vxlan_check_rest(name, cfg, err, errlen);
}

/*
 * A socket sending to @cfg's group: out of the group's interface (else the local address's),
 * with the port's TTL (a multicast datagram's default is 1), none looped back to this host.
 * Return: 0, or -1 with errno
 */
static int vxlan_mcast_opts(int fd, const struct vxlan_config *cfg)
{
	int ttl = cfg->ttl, off = 0;

	if (cfg->local.ss_family == AF_INET6) {
		int idx = (int)cfg->group_ifindex;

		if (idx && setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &idx, sizeof(idx)))
			return -1;
		return setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &ttl, sizeof(ttl)) ||
				       setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off,
						  sizeof(off))
			       ? -1
			       : 0;
	}
	struct ip_mreqn mr = {
		.imr_address = ((const struct sockaddr_in *)&cfg->local)->sin_addr,
		.imr_ifindex = (int)cfg->group_ifindex,
	};
	unsigned char t = (unsigned char)ttl, loop = 0;

	return setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr, sizeof(mr)) ||
			       setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &t, sizeof(t)) ||
			       setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof(loop))
		       ? -1
		       : 0;
}

/*
 * The socket a port with a group reads the group's datagrams from: bound to the group and
 * the port (a socket bound to the local address never gets them), a member of the group.
 * Return: its fd, or a negative errno with @err filled
 */
static int vxlan_group_open(const char *name, const struct vxlan_config *cfg, char *err,
			    size_t errlen)
{
	bool v6 = cfg->local.ss_family == AF_INET6;
	struct sockaddr_storage a = cfg->group;
	char addr[INET6_ADDRSTRLEN] = "?";
	int fd, one = 1, ret;

	((struct sockaddr_in *)&a)->sin_port = ((const struct sockaddr_in *)&cfg->local)->sin_port;
	fd = socket(a.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		goto fail;
	vxlan_set_bufs(fd);
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    (v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    bind(fd, (const struct sockaddr *)&a,
		 v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)))
		goto fail;
	if (v6) {
		struct ipv6_mreq mr = {
			.ipv6mr_multiaddr = ((const struct sockaddr_in6 *)&a)->sin6_addr,
			.ipv6mr_interface = cfg->group_ifindex,
		};

		if (setsockopt(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)))
			goto fail;
	} else {
		struct ip_mreqn mr = {
			.imr_multiaddr = ((const struct sockaddr_in *)&a)->sin_addr,
			.imr_address = ((const struct sockaddr_in *)&cfg->local)->sin_addr,
			.imr_ifindex = (int)cfg->group_ifindex,
		};

		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof(mr)))
			goto fail;
	}
	return fd;
fail:
	ret = errno;
	if (fd >= 0)
		close(fd);
	inet_ntop(a.ss_family,
		  v6 ? (const void *)&((const struct sockaddr_in6 *)&a)->sin6_addr
		     : (const void *)&((const struct sockaddr_in *)&a)->sin_addr,
		  addr, sizeof(addr));
	snprintf(err, errlen, "vxlan port '%s': cannot join group %s: %s%s", name, addr,
		 strerror(ret),
		 ret == ENODEV ? " (no route to the group: give the interface to join it on)" : "");
	return -ret;
}

/* the bound, non-blocking UDP socket; Return: its fd, or a negative errno with @err filled */
static int vxlan_udp_open(const char *name, const struct vxlan_config *cfg, char *err,
			  size_t errlen)
{
	bool v6 = cfg->local.ss_family == AF_INET6;
	char addr[INET6_ADDRSTRLEN] = "?";
	int fd, one = 1, ret;

	fd = socket(cfg->local.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP);
	if (fd < 0)
		goto fail;
	if ((v6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one))) ||
	    vxlan_set_ttl(fd, v6, cfg))
		goto fail;
	vxlan_set_bufs(fd);
	if (!bind(fd, (const struct sockaddr *)&cfg->local,
		  v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in)))
		return fd;
fail:
	ret = errno;
	if (fd >= 0)
		close(fd);
	inet_ntop(cfg->local.ss_family,
		  v6 ? (const void *)&((const struct sockaddr_in6 *)&cfg->local)->sin6_addr
		     : (const void *)&((const struct sockaddr_in *)&cfg->local)->sin_addr,
		  addr, sizeof(addr));
	snprintf(err, errlen, "vxlan port '%s': cannot bind UDP %s%s%s port %u: %s%s", name,
		 v6 ? "[" : "", addr, v6 ? "]" : "",
		 ntohs(((const struct sockaddr_in *)&cfg->local)->sin_port), strerror(ret),
		 ret == EADDRINUSE	? " (another program or the kernel's vxlan has it)"
		 : ret == EADDRNOTAVAIL ? " (the address is not on this host)"
					: "");
	return -ret;
}

/* whether @cfg carries @vni */
static bool vxlan_cfg_has_vni(const struct vxlan_config *cfg, uint32_t vni)
{
	if (!cfg->no_vni && cfg->vni == vni)
		return true;
	for (unsigned k = 0; k < cfg->n_map; k++)
		if (cfg->map[k].vni == vni)
			return true;
	return false;
}

/* the same address and port */
static bool vxlan_same_endpoint(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return !memcmp(&((const struct sockaddr_in *)a)->sin_addr,
			       &((const struct sockaddr_in *)b)->sin_addr,
			       sizeof(struct in_addr)) &&
		       ((const struct sockaddr_in *)a)->sin_port ==
			       ((const struct sockaddr_in *)b)->sin_port;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, sizeof(struct in6_addr)) &&
	       ((const struct sockaddr_in6 *)a)->sin6_port ==
		       ((const struct sockaddr_in6 *)b)->sin6_port;
}

/*
 * Whether port @name with @cfg may join @ep: a VNI of its own, the same TTL, room.
 * Return: 0, or -EEXIST / -EINVAL / -ENOSPC with @err filled
 */
static int vxlan_ep_check(const struct vxlan_ep *ep, const char *name,
			  const struct vxlan_config *cfg, char *err, size_t errlen)
{
	for (unsigned k = 0; k < ep->n_ports; k++) {
		const struct vxlan_port *o = ep->ports[k];
		uint32_t clash = VXLAN_VNI_MAX + 1;

		if (!o->cfg.no_vni && vxlan_cfg_has_vni(cfg, o->cfg.vni))
			clash = o->cfg.vni;
		for (unsigned m = 0; m < o->cfg.n_map && clash > VXLAN_VNI_MAX; m++)
			if (vxlan_cfg_has_vni(cfg, o->cfg.map[m].vni))
				clash = o->cfg.map[m].vni;
		if (clash <= VXLAN_VNI_MAX) {
			snprintf(err, errlen,
				 "vxlan port '%s': VNI %u is vxlan port '%s''s on the same local "
				 "address and port (a datagram's VNI picks its port)",
				 name, clash, o->port.ifname);
			return -EEXIST;
		}
	}
	if (ep->ttl != cfg->ttl || ep->tos != cfg->tos) {
		snprintf(err, errlen,
			 "vxlan port '%s': ttl %u tos %u, but the ports on the same local address "
			 "and port have ttl %u tos %u (they share the socket)",
			 name, cfg->ttl, cfg->tos, ep->ttl, ep->tos);
		return -EINVAL;
	}
	if (ep->n_ports == VXLAN_EP_PORTS) {
		snprintf(err, errlen,
			 "vxlan port '%s': %d ports share that local address and port already",
			 name, VXLAN_EP_PORTS);
		return -ENOSPC;
	}
	return 0;
}

/* the endpoint of @cfg->local, existing (checked for @name) or new. Return: 0 or -errno */
static int vxlan_ep_get(const char *name, const struct vxlan_config *cfg, struct vxlan_ep **out,
			char *err, size_t errlen)
{
	struct vxlan_ep *ep;
	int fd, ret;

	for (ep = vxlan_eps; ep; ep = ep->next) {
		if (!vxlan_same_endpoint(&ep->local, &cfg->local))
			continue;
		if (cfg->group.ss_family != AF_UNSPEC ||
		    (ep->n_ports && ep->ports[0]->cfg.group.ss_family != AF_UNSPEC)) {
			snprintf(
				err, errlen,
				"vxlan port '%s': vxlan port '%s' has that local address and port; "
				"a port with a multicast group needs them to itself (give it "
				"another dstport)",
				name, ep->n_ports ? ep->ports[0]->port.ifname : "?");
			return -EADDRINUSE;
		}
		ret = vxlan_ep_check(ep, name, cfg, err, errlen);
		if (!ret)
			*out = ep;
		return ret;
	}
	fd = vxlan_udp_open(name, cfg, err, errlen);
	if (fd < 0)
		return fd;
	ep = calloc(1, sizeof(*ep));
	if (!ep) {
		close(fd);
		snprintf(err, errlen, "vxlan port '%s': %s", name, strerror(ENOMEM));
		return -ENOMEM;
	}
	ep->fd = fd;
	ep->raw_fd = vxlan_raw_open(cfg);
	vxlan_gso_open(ep, cfg);
	if (cfg->group.ss_family != AF_UNSPEC &&
	    (vxlan_mcast_opts(fd, cfg) || (ep->raw_fd >= 0 && vxlan_mcast_opts(ep->raw_fd, cfg)))) {
		ret = -errno;
		snprintf(err, errlen, "vxlan port '%s': cannot send to its group: %s", name,
			 strerror(errno));
		close(fd);
		if (ep->raw_fd >= 0)
			close(ep->raw_fd);
		vxlan_gso_close(ep);
		free(ep);
		return ret;
	}
	ep->local = cfg->local;
	ep->ttl = cfg->ttl;
	ep->tos = cfg->tos;
	ep->next = vxlan_eps;
	vxlan_eps = ep;
	*out = ep;
	return 0;
}

/* @ep lost a port; the last one closes it */
static void vxlan_ep_put(struct vxlan_ep *ep, struct vxlan_port *v)
{
	struct vxlan_ep **pp;

	for (unsigned k = 0; k < ep->n_ports; k++) {
		if (ep->ports[k] == v) {
			ep->ports[k] = ep->ports[--ep->n_ports];
			break;
		}
	}
	if (ep->n_ports)
		return;
	for (pp = &vxlan_eps; *pp != ep; pp = &(*pp)->next)
		;
	*pp = ep->next;
	close(ep->fd);
	if (ep->raw_fd >= 0)
		close(ep->raw_fd);
	vxlan_gso_close(ep);
	free(ep);
}

/* the port's epoll set (the endpoint's socket and its eventfd). Return: 0 or -errno */
static int vxlan_poll_open(struct vxlan_port *v)
{
	struct epoll_event ev = { .events = EPOLLIN };

	v->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	v->port.fd = epoll_create1(EPOLL_CLOEXEC);
	if (v->evfd < 0 || v->port.fd < 0 || epoll_ctl(v->port.fd, EPOLL_CTL_ADD, v->evfd, &ev) ||
	    epoll_ctl(v->port.fd, EPOLL_CTL_ADD, v->ep->fd, &ev) ||
	    (v->gfd >= 0 && epoll_ctl(v->port.fd, EPOLL_CTL_ADD, v->gfd, &ev)))
		return -errno;
	return 0;
}

void vxlan_destroy(struct port *p)
{
	struct vxlan_port *v = (struct vxlan_port *)p;

	if (!p)
		return;
	if (p->fd >= 0)
		close(p->fd);
	if (v->evfd >= 0)
		close(v->evfd);
	if (v->gfd >= 0)
		close(v->gfd);
	if (v->ep)
		vxlan_ep_put(v->ep, v);
	free(v->fdb);
	free(v->arena);
	free(v->inbox);
	free(v->gbuf);
	free(v);
}

int vxlan_port_open(const char *name, const struct vxlan_config *cfg, struct port **out, char *err,
		    size_t errlen)
{
	struct vxlan_port *v;
	int ret;

	if (!name || !*name || strlen(name) >= IF_NAMESIZE) {
		snprintf(err, errlen, "vxlan port name '%s' is not valid", name ? name : "");
		return -EINVAL;
	}
	ret = vxlan_check(name, cfg, err, errlen);
	if (ret)
		return ret;
	v = calloc(1, sizeof(*v));
	if (!v || !(v->arena = malloc(VXLAN_ARENA_SIZE)) ||
	    !(v->inbox = malloc(VXLAN_INBOX_SIZE)) ||
	    !(v->gbuf = malloc((size_t)VXLAN_GRO_MSGS * VXLAN_GRO_BUF)) ||
	    !(v->fdb = malloc(VXLAN_FDB_SIZE * sizeof(*v->fdb)))) {
		if (v) {
			free(v->arena);
			free(v->inbox);
			free(v->gbuf);
		}
		free(v);
		snprintf(err, errlen, "vxlan port '%s': %s", name, strerror(ENOMEM));
		return -ENOMEM;
	}
	v->port.fd = v->evfd = v->gfd = -1;
	ret = vxlan_ep_get(name, cfg, &v->ep, err, errlen);
	if (ret) {
		vxlan_destroy(&v->port);
		return ret;
	}
	v->ep->ports[v->ep->n_ports++] = v;
	if (cfg->group.ss_family != AF_UNSPEC) {
		v->gfd = vxlan_group_open(name, cfg, err, errlen);
		if (v->gfd < 0) {
			ret = v->gfd;
			v->gfd = -1;
			vxlan_destroy(&v->port);
			return ret;
		}
	}
	ret = vxlan_poll_open(v);
	if (ret) {
		snprintf(err, errlen, "vxlan port '%s': %s (epoll, eventfd)", name, strerror(-ret));
		vxlan_destroy(&v->port);
		return ret;
	}
	for (unsigned i = 0; i < VXLAN_FDB_SIZE; i++)
		v->fdb[i] = (struct vxlan_fdb_entry){ .remote = VXLAN_FDB_NONE };
	v->port.ops = &vxlan_ops;
	memcpy(v->port.ifname, name, strlen(name) + 1);
	v->cfg = *cfg;
	v->mtu_given = cfg->mtu;
	if (!v->cfg.mtu)
		v->cfg.mtu = vxlan_underlay_mtu(&cfg->local);
	if (!v->cfg.mtu)
		v->cfg.mtu = 1500;
	v->overhead = cfg->local.ss_family == AF_INET6 ? VXLAN_OVERHEAD6 : VXLAN_OVERHEAD4;
	if (cfg->group.ss_family != AF_UNSPEC)
		vxlan_dst_set(v, 0, &cfg->group);
	for (unsigned r = 0; r < cfg->n_remotes; r++)
		vxlan_dst_set(v, r, &cfg->remotes[r]);
	v->n_dst = cfg->group.ss_family != AF_UNSPEC ? 1 : cfg->n_remotes;
	*out = &v->port;
	return 0;
}
