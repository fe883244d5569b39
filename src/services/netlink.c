/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netlink.c - rtnetlink requests (libmnl) for kvnet's links: namespace, up/down, MTU;
 * addresses and routes
 *
 * Each request gets its own NETLINK_ROUTE socket. For a request meant for
 * another network namespace, the socket is created by a short-lived thread
 * that setns()es into that namespace and exits: a socket stays in the
 * namespace it was created in, and the calling thread never changes
 * namespace. The kernel's ack is always asked for and checked; its extended
 * ack text, if any, ends the error message.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "services/netlink.h"

#define NETLINK_NETNS_DIR "/run/netns"
/* the kernel answers at once; this only bounds a wait that cannot end */
#define NETLINK_ACK_TIMEOUT_S 5

/* what an error message calls a namespace: "network namespace 'ns1'" */
struct netlink_ns_name {
	char text[NAME_MAX + 32];
};

struct netlink_sock_req {
	int netns_fd;
	struct mnl_socket *nl;
	int err;
};

static void *netlink_sock_thread(void *arg)
{
	struct netlink_sock_req *req = arg;

	if (setns(req->netns_fd, CLONE_NEWNET) < 0) {
		req->err = -errno;
		return NULL;
	}
	req->nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!req->nl)
		req->err = -errno;
	return NULL;
}

/* Open a bound rtnetlink socket in namespace @netns_fd (-1: ours). Return: 0 or -errno. */
static int netlink_open(int netns_fd, struct mnl_socket **out)
{
	struct netlink_sock_req req = { .netns_fd = netns_fd };
	struct timeval tv = { .tv_sec = NETLINK_ACK_TIMEOUT_S };
	int one = 1;

	if (netns_fd < 0) {
		req.nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
		if (!req.nl)
			return -errno;
	} else {
		pthread_t th;
		int ret = pthread_create(&th, NULL, netlink_sock_thread, &req);

		if (ret)
			return -ret;
		pthread_join(th, NULL);
		if (req.err)
			return req.err;
	}
	/* best effort: the kernel's reason in the ack, without our request echoed */
	mnl_socket_setsockopt(req.nl, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(req.nl, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(mnl_socket_get_fd(req.nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (mnl_socket_bind(req.nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(req.nl);
		return -e;
	}
	*out = req.nl;
	return 0;
}

/* Copy the extended ack text of error message @nlh, if it has one, into @ext. */
static void netlink_extack(const struct nlmsghdr *nlh, char *ext, size_t extlen)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *attr;
	size_t off = sizeof(*e);

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	if (mnl_nlmsg_get_payload_len(nlh) < off)
		return;
	mnl_attr_for_each(attr, nlh, off)
	{
		if (mnl_attr_get_type(attr) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) == 0) {
			snprintf(ext, extlen, "%s", mnl_attr_get_str(attr));
			return;
		}
	}
}

/*
 * Send request @nlh on a new socket in @netns_fd and wait for the kernel's ack.
 * Return: 0, or the negative errno of the socket or of the kernel's answer, with
 * the kernel's extended ack text, if any, in @ext
 */
static int netlink_talk(int netns_fd, struct nlmsghdr *nlh, char *ext, size_t extlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = NULL;
	unsigned portid;
	int ret;

	ext[0] = '\0';
	ret = netlink_open(netns_fd, &nl);
	if (ret)
		return ret;
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (uint32_t)time(NULL);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		goto out_close;
	}
	for (;;) {
		ssize_t len = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		const struct nlmsghdr *r = (const struct nlmsghdr *)buf;

		if (len < 0) {
			if (errno == EINTR)
				continue;
			ret = errno == EAGAIN ? -ETIMEDOUT : -errno;
			goto out_close;
		}
		for (int left = (int)len; mnl_nlmsg_ok(r, left); r = mnl_nlmsg_next(r, &left)) {
			const struct nlmsgerr *e;

			if (r->nlmsg_seq != nlh->nlmsg_seq || r->nlmsg_pid != portid)
				continue;
			if (r->nlmsg_type != NLMSG_ERROR)
				continue;
			if (mnl_nlmsg_get_payload_len(r) < sizeof(*e)) {
				ret = -EBADMSG;
				goto out_close;
			}
			e = mnl_nlmsg_get_payload(r);
			ret = e->error;
			if (ret)
				netlink_extack(r, ext, extlen);
			goto out_close;
		}
	}

out_close:
	mnl_socket_close(nl);
	return ret;
}

/* "network namespace 'NAME'" for the /run/netns entry that is @netns_fd */
static void netlink_ns_describe(int netns_fd, struct netlink_ns_name *ns)
{
	struct stat want, st;
	struct dirent *de;
	DIR *dir;

	snprintf(ns->text, sizeof(ns->text), "network namespace (fd %d)", netns_fd);
	if (fstat(netns_fd, &want) < 0)
		return;
	dir = opendir(NETLINK_NETNS_DIR);
	if (!dir)
		return;
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		if (fstatat(dirfd(dir), de->d_name, &st, 0) == 0 && st.st_dev == want.st_dev &&
		    st.st_ino == want.st_ino) {
			snprintf(ns->text, sizeof(ns->text), "network namespace '%s'", de->d_name);
			break;
		}
	}
	closedir(dir);
}

/* " in network namespace 'NAME'", or "" for the caller's own (@netns_fd -1) */
static void netlink_ns_where(int netns_fd, struct netlink_ns_name *where)
{
	struct netlink_ns_name ns = { .text = "" };

	where->text[0] = '\0';
	if (netns_fd < 0)
		return;
	netlink_ns_describe(netns_fd, &ns);
	snprintf(where->text, sizeof(where->text), " in %.*s", (int)sizeof(ns.text) - 5, ns.text);
}

/* ": reason (kernel's text)" */
static void netlink_format_err(char *err, size_t errlen, int ret, const char *ext)
{
	size_t len = strlen(err);

	if (len >= errlen)
		return;
	if (ext[0])
		snprintf(err + len, errlen - len, ": %s (%s)", strerror(-ret), ext);
	else
		snprintf(err + len, errlen - len, ": %s", strerror(-ret));
}

static bool netlink_ifname_ok(const char *ifname, char *err, size_t errlen)
{
	if (!ifname || !*ifname || strlen(ifname) >= IF_NAMESIZE) {
		snprintf(err, errlen, "interface name '%s' is not valid", ifname ? ifname : "");
		return false;
	}
	return true;
}

int netlink_netns_open(const char *name, char *err, size_t errlen)
{
	char path[sizeof(NETLINK_NETNS_DIR) + NAME_MAX + 1];
	int fd;

	if (!name || !*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strlen(name) > NAME_MAX) {
		snprintf(err, errlen, "network namespace name '%s' is not valid", name ? name : "");
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/%s", NETLINK_NETNS_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;

		if (e == ENOENT)
			snprintf(err, errlen, "network namespace '%s' does not exist", name);
		else
			snprintf(err, errlen, "cannot open network namespace '%s': %s", name,
				 strerror(e));
		return -e;
	}
	return fd;
}

int netlink_link_set_netns(int ifindex, int netns_fd, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], ext[256], name[IF_NAMESIZE];
	struct netlink_ns_name ns = { .text = "" };
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifm;
	int ret;

	if (ifindex <= 0 || netns_fd < 0) {
		snprintf(err, errlen, "cannot move link #%d into network namespace (fd %d): %s",
			 ifindex, netns_fd, strerror(EINVAL));
		return -EINVAL;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_index = ifindex;
	mnl_attr_put_u32(nlh, IFLA_NET_NS_FD, (uint32_t)netns_fd);

	/* the name for the message, while the link is still ours to look up */
	if (!if_indextoname((unsigned)ifindex, name))
		snprintf(name, sizeof(name), "#%d", ifindex);
	ret = netlink_talk(-1, nlh, ext, sizeof(ext));
	if (!ret)
		return 0;
	if (ret == -ENODEV) {
		snprintf(err, errlen, "interface with index %d does not exist", ifindex);
		return ret;
	}
	netlink_ns_describe(netns_fd, &ns);
	snprintf(err, errlen, "cannot move link '%s' into %s", name, ns.text);
	netlink_format_err(err, errlen, ret, ext);
	return ret;
}

/*
 * RTM_SETLINK on link @ifname in @netns_fd with flags @flags of @change and,
 * if @mtu is not 0, IFLA_MTU. Return: 0 or -errno, with @ext as netlink_talk().
 */
/* a link request @type for @ifname in @buf (MNL_SOCKET_BUFFER_SIZE): header, ifinfomsg, name */
static struct nlmsghdr *netlink_link_req(char *buf, uint16_t type, const char *ifname)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifm;

	nlh->nlmsg_type = type;
	ifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nlh;
}

/* one RTM_SETLINK on @ifname: flags under mask @change, and an MTU and a MAC when given */
static int netlink_setlink(const char *ifname, int netns_fd, unsigned change, unsigned flags,
			   unsigned mtu, const uint8_t *mac, char *ext, size_t extlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = netlink_link_req(buf, RTM_SETLINK, ifname);
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);

	ifm->ifi_change = change;
	ifm->ifi_flags = flags;
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	if (mac)
		mnl_attr_put(nlh, IFLA_ADDRESS, 6, mac);
	return netlink_talk(netns_fd, nlh, ext, extlen);
}

/* the message for a failed netlink_setlink(): "cannot WHAT of link 'X' in namespace ...: why" */
static int netlink_setlink_err(int ret, const char *ifname, int netns_fd, const char *what,
			       const char *ext, char *err, size_t errlen)
{
	struct netlink_ns_name where = { .text = "" };

	netlink_ns_where(netns_fd, &where);
	if (ret == -ENODEV) {
		snprintf(err, errlen, "interface '%s' does not exist%s", ifname, where.text);
		return ret;
	}
	snprintf(err, errlen, "cannot %s link '%s'%s", what, ifname, where.text);
	netlink_format_err(err, errlen, ret, ext);
	return ret;
}

int netlink_link_set_up(const char *ifname, int netns_fd, bool up, char *err, size_t errlen)
{
	char ext[256];
	int ret;

	if (!netlink_ifname_ok(ifname, err, errlen))
		return -EINVAL;
	ret = netlink_setlink(ifname, netns_fd, IFF_UP, up ? IFF_UP : 0, 0, NULL, ext, sizeof(ext));
	if (!ret)
		return 0;
	return netlink_setlink_err(ret, ifname, netns_fd, up ? "set up" : "set down", ext, err,
				   errlen);
}

int netlink_link_set_mtu(const char *ifname, int netns_fd, unsigned mtu, char *err, size_t errlen)
{
	char ext[256], what[64];
	int ret;

	if (!netlink_ifname_ok(ifname, err, errlen))
		return -EINVAL;
	if (!mtu) {
		snprintf(err, errlen, "cannot set MTU of link '%s' to 0: %s", ifname,
			 strerror(EINVAL));
		return -EINVAL;
	}
	ret = netlink_setlink(ifname, netns_fd, 0, 0, mtu, NULL, ext, sizeof(ext));
	if (!ret)
		return 0;
	snprintf(what, sizeof(what), "set MTU %u on", mtu);
	return netlink_setlink_err(ret, ifname, netns_fd, what, ext, err, errlen);
}

int netlink_link_set_mac(const char *ifname, int netns_fd, const uint8_t mac[6], char *err,
			 size_t errlen)
{
	char ext[256], what[64];
	int ret;

	if (!netlink_ifname_ok(ifname, err, errlen))
		return -EINVAL;
	ret = netlink_setlink(ifname, netns_fd, 0, 0, 0, mac, ext, sizeof(ext));
	if (!ret)
		return 0;
	snprintf(what, sizeof(what), "set MAC %02x:%02x:%02x:%02x:%02x:%02x on", mac[0], mac[1],
		 mac[2], mac[3], mac[4], mac[5]);
	return netlink_setlink_err(ret, ifname, netns_fd, what, ext, err, errlen);
}

int netlink_veth_add(const char *name, const char *peer, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], ext[256];
	struct nlattr *info, *data, *pinfo;
	struct ifinfomsg *pifm;
	struct nlmsghdr *nlh;
	int ret;

	if (!netlink_ifname_ok(name, err, errlen) || !netlink_ifname_ok(peer, err, errlen))
		return -EINVAL;
	nlh = netlink_link_req(buf, RTM_NEWLINK, name);
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "veth");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	/* VETH_INFO_PEER holds the peer's struct ifinfomsg, then its attributes */
	pinfo = mnl_attr_nest_start(nlh, VETH_INFO_PEER);
	pifm = mnl_nlmsg_put_extra_header(nlh, sizeof(*pifm));
	memset(pifm, 0, sizeof(*pifm));
	pifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, peer);
	mnl_attr_nest_end(nlh, pinfo);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	ret = netlink_talk(-1, nlh, ext, sizeof(ext));
	if (!ret)
		return 0;
	snprintf(err, errlen, "cannot make veth pair '%s' - '%s'", name, peer);
	netlink_format_err(err, errlen, ret, ext);
	return ret;
}

int netlink_link_set_master(const char *ifname, const char *master, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], ext[256], what[IF_NAMESIZE + 32];
	unsigned idx = if_nametoindex(master);
	struct nlmsghdr *nlh;
	int ret;

	if (!netlink_ifname_ok(ifname, err, errlen))
		return -EINVAL;
	if (!idx) {
		snprintf(err, errlen, "cannot enslave '%s': interface '%s' does not exist", ifname,
			 master);
		return -ENODEV;
	}
	nlh = netlink_link_req(buf, RTM_SETLINK, ifname);
	mnl_attr_put_u32(nlh, IFLA_MASTER, idx);
	ret = netlink_talk(-1, nlh, ext, sizeof(ext));
	if (!ret)
		return 0;
	snprintf(what, sizeof(what), "enslave to '%s'", master);
	return netlink_setlink_err(ret, ifname, -1, what, ext, err, errlen);
}

int netlink_addr_add(const char *ifname, int family, const void *addr, unsigned prefix, char *err,
		     size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], ext[256], text[INET6_ADDRSTRLEN];
	size_t alen = family == AF_INET ? 4 : 16;
	unsigned idx = if_nametoindex(ifname);
	struct ifaddrmsg *ifa;
	struct nlmsghdr *nlh;
	int ret;

	inet_ntop(family, addr, text, sizeof(text));
	if (!idx) {
		snprintf(err, errlen, "cannot add address %s/%u: interface '%s' does not exist",
			 text, prefix, ifname);
		return -ENODEV;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)family;
	ifa->ifa_prefixlen = (uint8_t)prefix;
	ifa->ifa_scope = RT_SCOPE_UNIVERSE;
	ifa->ifa_index = idx;
	mnl_attr_put(nlh, IFA_LOCAL, alen, addr);
	mnl_attr_put(nlh, IFA_ADDRESS, alen, addr);
	if (family == AF_INET && prefix < 31) {
		/* the subnet's broadcast address, as `ip addr add ... brd +` sets it */
		uint32_t a, mask = prefix ? htonl(~0u << (32 - prefix)) : 0;

		memcpy(&a, addr, 4);
		a |= ~mask;
		mnl_attr_put(nlh, IFA_BROADCAST, 4, &a);
	}
	if (family == AF_INET6) {
		/* the host port's address is ours to keep: no duplicate address detection delay */
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	ret = netlink_talk(-1, nlh, ext, sizeof(ext));
	if (!ret)
		return 0;
	snprintf(err, errlen, "cannot add address %s/%u to '%s'", text, prefix, ifname);
	netlink_format_err(err, errlen, ret, ext);
	return ret;
}

int netlink_route_change(bool add, const char *ifname, int family, const void *dst, unsigned prefix,
			 const void *gw, uint32_t metric, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], ext[256], d[INET6_ADDRSTRLEN], g[INET6_ADDRSTRLEN];
	size_t alen = family == AF_INET ? 4 : 16;
	unsigned idx = if_nametoindex(ifname);
	struct nlmsghdr *nlh;
	struct rtmsg *rtm;
	int ret;

	inet_ntop(family, dst, d, sizeof(d));
	inet_ntop(family, gw, g, sizeof(g));
	if (!idx) {
		snprintf(err, errlen, "cannot %s route %s/%u via %s: interface '%s' does not exist",
			 add ? "add" : "delete", d, prefix, g, ifname);
		return -ENODEV;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = add ? NLM_F_CREATE | NLM_F_EXCL : 0;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (uint8_t)family;
	rtm->rtm_dst_len = (uint8_t)prefix;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = RTPROT_STATIC;
	rtm->rtm_scope = add ? RT_SCOPE_UNIVERSE : RT_SCOPE_NOWHERE;
	rtm->rtm_type = RTN_UNICAST;
	mnl_attr_put(nlh, RTA_DST, alen, dst);
	mnl_attr_put(nlh, RTA_GATEWAY, alen, gw);
	mnl_attr_put_u32(nlh, RTA_OIF, idx);
	mnl_attr_put_u32(nlh, RTA_PRIORITY, metric);
	ret = netlink_talk(-1, nlh, ext, sizeof(ext));
	if (!ret)
		return 0;
	snprintf(err, errlen, "cannot %s route %s/%u via %s metric %u on '%s'",
		 add ? "add" : "delete", d, prefix, g, metric, ifname);
	netlink_format_err(err, errlen, ret, ext);
	return ret;
}

int netlink_link_set_ipv6(const char *ifname, bool on, char *err, size_t errlen)
{
	char path[sizeof("/proc/sys/net/ipv6/conf//disable_ipv6") + IF_NAMESIZE];
	const char *value = on ? "0\n" : "1\n";
	int fd, ret = 0;

	if (!netlink_ifname_ok(ifname, err, errlen))
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", ifname);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		ret = -errno;
	if (ret == -ENOENT && !on && access("/proc/sys/net/ipv6", F_OK))
		return 0; /* no IPv6 in this kernel: off already */
	if (fd >= 0 && write(fd, value, 2) != 2)
		ret = -errno;
	if (fd >= 0)
		close(fd);
	if (ret)
		snprintf(err, errlen, "cannot turn IPv6 %s on '%s': %s (%s)", on ? "on" : "off",
			 ifname, strerror(-ret), path);
	return ret;
}

int netlink_link_del(const char *ifname, char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], ext[256];
	struct nlmsghdr *nlh;
	int ret;

	if (!netlink_ifname_ok(ifname, err, errlen))
		return -EINVAL;
	nlh = netlink_link_req(buf, RTM_DELLINK, ifname);
	ret = netlink_talk(-1, nlh, ext, sizeof(ext));
	if (ret)
		return netlink_setlink_err(ret, ifname, -1, "delete", ext, err, errlen);
	return 0;
}
