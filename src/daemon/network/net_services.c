/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_services.c - host port, dnsmasq, firewall rules and uplink of running networks */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "daemon/switch/datapath.h"
#include "daemon/network/net_overlay.h"
#include "daemon/network/net_routes.h"
#include "daemon/network/net_services.h"
#include "daemon/network/net_vlan.h"
#include "daemon/network/network.h"
#include "daemon/host/privilege.h"
#include "daemon/switch/switch.h"
#include "services/dnsmasq_conf.h"
#include "services/firewall.h"
#include "services/libvirt.h"
#include "services/libvirt_leases.h"
#include "services/netlink.h"
#include "util/file.h"
#include "util/log.h"

/* the most of a lease file read for libvirt's status file (ctl_network.c reads as much) */
#define NET_LEASES_FILE_MAX (64u << 20)

static struct {
	char dir[DNSMASQ_PATH_MAX - 300]; /* RUN_DIR/dnsmasq */
	bool firewall_ok;
	char firewall_err[256];
	char lv_dir[DNSMASQ_PATH_MAX - 300]; /* libvirt's lease status files, "" for none */
	bool lv_dir_missing;		     /* logged that it is missing */
} svc;

void net_services_leases_path(const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s.leases", svc.dir, name);
}

bool net_services_ifname_free(const char *name)
{
	return !if_nametoindex(name);
}

int net_services_init(const char *run_dir, char *err, size_t errlen)
{
	int n;

	if (snprintf(svc.dir, sizeof(svc.dir), "%s/dnsmasq", run_dir) >= (int)sizeof(svc.dir)) {
		snprintf(err, errlen, "run dir path '%s' is too long", run_dir);
		return -ENAMETOOLONG;
	}
	if (mkdir(svc.dir, 0755) && errno != EEXIST) {
		snprintf(err, errlen, "cannot create %s: %s", svc.dir, strerror(errno));
		return -errno;
	}
	if (!kv_privileged()) {
		/* no host port, so no dnsmasq; and nftables would only say EPERM */
		snprintf(svc.firewall_err, sizeof(svc.firewall_err), "kvnetd has no CAP_NET_ADMIN");
		return 0;
	}
	if (!kv_dir_reachable(svc.dir, (gid_t)-1)) {
		/* dnsmasq drops to nobody and re-reads its hosts files on SIGHUP */
		log_warn("%s is not reachable by other users (a parent directory lacks o+x): "
			 "dnsmasq keeps root privileges to read its hosts files",
			 svc.dir);
		dnsmasq_set_user("root");
	}
	n = dnsmasq_stop_stale(svc.dir);
	if (n)
		log_warn("stopped %d dnsmasq process%s left by a kvnetd that did not exit cleanly",
			 n, n > 1 ? "es" : "");
	/* without nftables, the networks that need no rules still run */
	svc.firewall_ok = !firewall_init(svc.firewall_err, sizeof(svc.firewall_err));
	if (!svc.firewall_ok)
		log_warn("%s: nat, route and isolated networks cannot start", svc.firewall_err);
	return 0;
}

int net_services_libvirt_leases(const char *dir)
{
	if (!dir) {
		svc.lv_dir[0] = '\0';
		return 0;
	}
	if (snprintf(svc.lv_dir, sizeof(svc.lv_dir), "%s", dir) >= (int)sizeof(svc.lv_dir)) {
		svc.lv_dir[0] = '\0';
		return -ENAMETOOLONG;
	}
	return 0;
}

void net_services_fini(void)
{
	if (svc.firewall_ok)
		firewall_fini();
}

void net_subnet_of(const struct network_ip *ip, struct net_subnet *s)
{
	s->family = ip->address.family;
	memcpy(s->addr, s->family == AF_INET ? (const void *)&ip->address.v4 : &ip->address.v6,
	       s->family == AF_INET ? 4 : 16);
	s->prefix = (unsigned int)network_ip_prefix(ip);
}

/* do the first min(prefix) bits of @a and @b agree */
static bool net_subnets_overlap(const struct net_subnet *a, const struct net_subnet *b)
{
	unsigned int bits = a->prefix < b->prefix ? a->prefix : b->prefix;

	if (a->family != b->family)
		return false;
	for (unsigned int i = 0; i < bits; i++) {
		unsigned int bit = 0x80u >> (i % 8);

		if ((a->addr[i / 8] & bit) != (b->addr[i / 8] & bit))
			return false;
	}
	return true;
}

static const char *net_subnet_str(const struct net_subnet *s, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];

	inet_ntop(s->family, s->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%u", a, s->prefix);
	return buf;
}

int net_services_check_overlap(const struct network_def *def, const struct kv_network *n, char *err,
			       size_t errlen)
{
	char x[64], y[64];
	struct ifaddrs *ifa_list = NULL;
	int ret = 0;

	if (getifaddrs(&ifa_list))
		ifa_list = NULL;
	for (size_t i = 0; i < def->n_ips && !ret; i++) {
		struct net_subnet mine, other;

		net_subnet_of(&def->ips[i], &mine);
		for (const struct kv_network *o = networks; o && !ret; o = o->next) {
			if (o == n || !o->active)
				continue;
			for (size_t j = 0; j < o->def->n_ips && !ret; j++) {
				net_subnet_of(&o->def->ips[j], &other);
				if (!net_subnets_overlap(&mine, &other))
					continue;
				snprintf(err, errlen,
					 "network '%s' subnet %s overlaps network '%s' (%s)",
					 def->name, net_subnet_str(&mine, x, sizeof(x)),
					 o->def->name, net_subnet_str(&other, y, sizeof(y)));
				ret = -EEXIST;
			}
		}
		for (struct ifaddrs *ifa = ifa_list; ifa && !ret; ifa = ifa->ifa_next) {
			const struct sockaddr *sa = ifa->ifa_addr;

			if (!sa || sa->sa_family != mine.family)
				continue;
			other.family = sa->sa_family;
			memcpy(other.addr,
			       sa->sa_family == AF_INET
				       ? (const void *)&((const struct sockaddr_in *)sa)->sin_addr
				       : &((const struct sockaddr_in6 *)sa)->sin6_addr,
			       sa->sa_family == AF_INET ? 4 : 16);
			other.prefix = mine.prefix;
			if (!net_subnets_overlap(&mine, &other))
				continue;
			inet_ntop(other.family, other.addr, y, sizeof(y));
			snprintf(err, errlen,
				 "network '%s' subnet %s overlaps address %s on interface '%s' of "
				 "this host",
				 def->name, net_subnet_str(&mine, x, sizeof(x)), y, ifa->ifa_name);
			ret = -EEXIST;
		}
	}
	freeifaddrs(ifa_list);
	return ret;
}

bool net_services_needs_host_port(const struct network_def *def)
{
	return def->n_ips && def->forward.mode != CONF_FORWARD_BRIDGE;
}

static bool net_needs_rules(const struct network_def *def)
{
	return def->forward.mode == CONF_FORWARD_NAT || def->forward.mode == CONF_FORWARD_ROUTE ||
	       (def->forward.mode == CONF_FORWARD_NONE && def->n_ips);
}

/*
 * Refuse what of @def needs CAP_NET_ADMIN when kvnetd lacks it, before anything is made: its
 * uplink @uplink (AF_PACKET), its host port (a tap) or its firewall rules (nftables).
 * Return: 0, or -EPERM with the refusal in @err
 */
static int net_privilege_check(const struct network_def *def, const char *uplink, char *err,
			       size_t errlen)
{
	const char *mode = conf_forward_mode_to_string(def->forward.mode);

	if (kv_privileged())
		return 0;
	if (uplink)
		return kv_priv_refuse(
			err, errlen,
			"network '%s': its uplink (forward dev '%s', an AF_PACKET port)", def->name,
			uplink);
	if (net_services_needs_host_port(def))
		return kv_priv_refuse(err, errlen,
				      "network '%s': its host port (a tap with the <ip> address)",
				      def->name);
	if (net_needs_rules(def))
		return kv_priv_refuse(err, errlen,
				      "network '%s': its firewall rules (forward mode '%s')",
				      def->name, mode ? mode : "none");
	return 0;
}

/* write @text to @path through a temporary file, so dnsmasq never reads half of it */
static int net_write_file(const char *path, const char *text, char *err, size_t errlen)
{
	char tmp[DNSMASQ_PATH_MAX + 8];
	size_t len = strlen(text);
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.new", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		ret = -errno;
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		unlink(tmp);
	}
	return ret;
}

/* the value of "key=" in dnsmasq configuration @conf into @buf, "" if absent */
static void net_conf_value(const char *conf, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);

	buf[0] = '\0';
	for (const char *p = conf; *p; p += strcspn(p, "\n"), p += *p == '\n')
		if (!strncmp(p, key, klen) && p[klen] == '=')
			snprintf(buf, len, "%.*s", (int)strcspn(p + klen + 1, "\n"), p + klen + 1);
}

/* Write network @n's dnsmasq files. Return: 0, or a negative errno with a message */
static int net_dnsmasq_files(struct kv_network *n, bool *needed, char *err, size_t errlen)
{
	struct net_services *s = n->svc;
	char pid[DNSMASQ_PATH_MAX], leases[DNSMASQ_PATH_MAX], path[DNSMASQ_PATH_MAX];
	char header[NETWORK_NAME_MAX + 96];
	struct dnsmasq_conf_opts o = { 0 };
	struct dnsmasq_conf c = { 0 };
	int ret;

	snprintf(pid, sizeof(pid), "%s/%s.pid", svc.dir, n->def->name);
	net_services_leases_path(n->def->name, leases, sizeof(leases));
	snprintf(header, sizeof(header),
		 "dnsmasq configuration of network %s, written by kvnetd; change it with: "
		 "kvnet net-edit %s",
		 n->def->name, n->def->name);
	o.files_dir = svc.dir;
	o.pid_file = pid;
	o.lease_file = leases;
	o.header = header;
	o.interface = s->host_port ? s->host_port->name : NULL;
	o.mtu = net_overlay_mtu(n->def);
	ret = dnsmasq_conf_build(n->def, &o, &c, err, errlen);
	if (ret)
		return ret;
	*needed = c.needed;
	net_conf_value(c.conf, "dhcp-hostsfile", path, sizeof(path));
	if (!ret && path[0])
		ret = net_write_file(path, c.hostsfile ? c.hostsfile : "", err, errlen);
	net_conf_value(c.conf, "addn-hosts", path, sizeof(path));
	if (!ret && path[0])
		ret = net_write_file(path, c.addnhosts ? c.addnhosts : "", err, errlen);
	if (!ret)
		ret = net_write_file(s->dnsmasq.conf_path, c.conf, err, errlen);
	dnsmasq_conf_free(&c);
	return ret;
}

static void net_dnsmasq_start(struct kv_network *n)
{
	struct net_services *s = n->svc;
	char err[512];
	bool needed = false;

	if (net_dnsmasq_files(n, &needed, err, sizeof(err))) {
		snprintf(s->dnsmasq.error, sizeof(s->dnsmasq.error), "%.255s", err);
		s->dnsmasq.state = DNSMASQ_FAILED;
		s->dnsmasq.retry_ns = UINT64_MAX; /* a config error does not heal by waiting */
		log_err("network %s: dnsmasq not started: %s", n->def->name, err);
		return;
	}
	if (!needed) {
		s->dnsmasq.state = DNSMASQ_NOT_NEEDED;
		return;
	}
	datapath_unlock();
	dnsmasq_start(&s->dnsmasq, datapath_now());
	datapath_lock();
	if (s->dnsmasq.state == DNSMASQ_RUNNING)
		log_info("network %s: dnsmasq running (pid %d)", n->def->name, (int)s->dnsmasq.pid);
	else
		log_err("network %s: %s; the switch forwards without DHCP and DNS", n->def->name,
			s->dnsmasq.error);
}

static void net_dnsmasq_remove_files(const struct kv_network *n)
{
	static const char *const made[] = { "hostsfile", "addnhosts" };

	unlink(n->svc->dnsmasq.conf_path);
	for (size_t i = 0; i < sizeof(made) / sizeof(made[0]); i++) {
		char *path = dnsmasq_conf_file_path(svc.dir, n->def->name, made[i]);

		if (path)
			unlink(path);
		free(path);
	}
}

/* the network's addresses on its switch's host netdev, which becomes its host port */
static int net_host_port_start(struct kv_network *n, char *err, size_t errlen)
{
	const struct network_def *def = n->def;
	struct kv_port *host = n->sw->host;
	int ret = 0;

	if (!host) /* only without CAP_NET_ADMIN, which net_privilege_check() refused */
		return kv_priv_refuse(err, errlen, "network '%s': its host port", def->name);
	datapath_unlock();
	for (size_t i = 0; i < def->n_ips && !ret; i++) {
		const struct network_ip *ip = &def->ips[i];

		ret = netlink_addr_add(host->name, ip->address.family,
				       ip->address.family == AF_INET ? (const void *)&ip->address.v4
								     : &ip->address.v6,
				       (unsigned int)network_ip_prefix(ip), err, errlen);
	}
	datapath_lock();
	if (ret)
		return ret;
	n->svc->host_port = host;
	ret = net_vlan_host_apply(n, err, errlen);
	if (!ret)
		net_vlan_log_warnings(def);
	return ret;
}

int net_services_start(struct kv_network *n, char *err, size_t errlen)
{
	const struct network_def *def = n->def;
	const char *uplink = net_uplink_first(def);
	char path[DNSMASQ_PATH_MAX], pid[DNSMASQ_PATH_MAX];
	int ret;

	ret = net_privilege_check(def, uplink, err, errlen);
	if (ret)
		return ret;
	if (net_needs_rules(def) && !svc.firewall_ok) {
		snprintf(err, errlen, "network '%s' needs firewall rules, but %s", def->name,
			 svc.firewall_err[0] ? svc.firewall_err : "nftables is not set up");
		return -EPERM;
	}
	ret = net_services_check_overlap(def, n, err, errlen);
	if (!ret)
		ret = net_routes_check(def, err, errlen);
	if (ret)
		return ret;
	n->svc = calloc(1, sizeof(*n->svc));
	if (!n->svc)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/%s.conf", svc.dir, def->name);
	snprintf(pid, sizeof(pid), "%s/%s.pid", svc.dir, def->name);
	dnsmasq_init(&n->svc->dnsmasq, path, pid);
	ret = net_uplink_start(n, err, errlen);
	if (!ret)
		ret = net_overlay_start(n, err, errlen);
	if (!ret && net_services_needs_host_port(def))
		ret = net_host_port_start(n, err, errlen);
	if (!ret && def->n_routes) {
		datapath_unlock();
		ret = net_routes_add(n, err, errlen);
		datapath_lock();
	}
	if (!ret && net_needs_rules(def)) {
		datapath_unlock();
		ret = firewall_network_add(def,
					   n->svc->host_port ? n->svc->host_port->name
							     : n->sw->name,
					   err, errlen);
		datapath_lock();
		n->svc->firewall = !ret;
	}
	if (ret) {
		net_services_stop(n);
		return ret;
	}
	if (n->svc->host_port)
		net_dnsmasq_start(n);
	else
		n->svc->dnsmasq.state = DNSMASQ_NOT_NEEDED;
	return 0;
}

void net_services_stop(struct kv_network *n)
{
	struct net_services *s = n->svc;
	char err[256];

	if (!s)
		return;
	datapath_unlock();
	dnsmasq_stop(&s->dnsmasq);
	net_routes_del(n);
	if (s->firewall && firewall_network_del(n->def->name, err, sizeof(err)))
		log_warn("network %s: %s", n->def->name, err);
	datapath_lock();
	net_dnsmasq_remove_files(n);
	if (s->lv_status[0])
		unlink(s->lv_status);
	/* the host port is the switch's: it goes with the switch, its addresses with it */
	net_uplink_stop(n);
	net_overlay_stop(n);
	free(s);
	n->svc = NULL;
}

int net_services_refresh(struct kv_network *n, bool restart, char *err, size_t errlen)
{
	struct net_services *s = n->svc;
	bool needed = false;
	int ret;

	if (!s || !s->host_port)
		return 0;
	ret = net_dnsmasq_files(n, &needed, err, errlen);
	if (ret)
		return ret;
	if (restart || !needed || s->dnsmasq.state != DNSMASQ_RUNNING) {
		datapath_unlock();
		dnsmasq_stop(&s->dnsmasq);
		datapath_lock();
		if (needed)
			net_dnsmasq_start(n);
		else
			s->dnsmasq.state = DNSMASQ_NOT_NEEDED;
		return 0;
	}
	return dnsmasq_reload(&s->dnsmasq);
}

/*
 * Write libvirt's status file @path from lease file @leases (missing: no leases), as
 * libvirt's leaseshelper does: a temporary file beside it, written, synced, renamed over it.
 * Slow (fsync): without the datapath lock.
 * Return: 0, or a negative errno with a message in @err
 */
static int net_libvirt_status_write(const char *leases, const char *path, char *err, size_t errlen)
{
	char tmp[DNSMASQ_PATH_MAX + 16], *text = NULL, *json = NULL;
	struct dnsmasq_lease *list = NULL;
	int fd = -1, count, ret;
	size_t len;

	ret = file_read(leases, NET_LEASES_FILE_MAX, &text, NULL);
	if (ret == -ENOENT)
		ret = (text = strdup("")) ? 0 : -ENOMEM;
	if (ret) {
		snprintf(err, errlen, "cannot read %s: %s", leases, strerror(-ret));
		return ret;
	}
	count = dnsmasq_leases_parse(text, &list);
	free(text);
	ret = count < 0 ? count : libvirt_leases_json(list, (size_t)count, &json);
	free(list);
	if (ret) {
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
		return ret;
	}
	len = strlen(json);
	snprintf(tmp, sizeof(tmp), "%s.kvnet-new", path);
	errno = 0;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write(fd, json, len) != (ssize_t)len || fsync(fd))
		ret = errno ? -errno : -EIO;
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	free(json);
	if (ret) {
		if (fd >= 0)
			unlink(tmp);
		snprintf(err, errlen, "cannot write %s: %s", path, strerror(-ret));
	}
	return ret;
}

/* network @n's libvirt status file, if it has one, removed */
static void net_libvirt_status_remove(struct net_services *s)
{
	if (!s->lv_status[0])
		return;
	unlink(s->lv_status);
	s->lv_status[0] = '\0';
	s->lv_failed = false;
}

/* Keep network @n's libvirt status file in step: called by the tick, with the lock held */
static void net_libvirt_status(struct kv_network *n)
{
	struct net_services *s = n->svc;
	char leases[DNSMASQ_PATH_MAX], path[DNSMASQ_PATH_MAX], err[DNSMASQ_PATH_MAX + 128];
	int64_t mtime_ns = -1, size = -1;
	const char *reason;
	struct stat st;
	int ret;

	if (!svc.lv_dir[0] || !n->sw ||
	    libvirt_net_state(n->def->name, &reason) != LIBVIRT_MIRRORED) {
		net_libvirt_status_remove(s);
		return;
	}
	snprintf(path, sizeof(path), "%s/%s.status", svc.lv_dir, n->sw->name);
	if (strcmp(s->lv_status, path))
		net_libvirt_status_remove(s);
	net_services_leases_path(n->def->name, leases, sizeof(leases));
	if (!stat(leases, &st)) {
		mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
		size = (int64_t)st.st_size;
	}
	if (s->lv_status[0] && !s->lv_failed && mtime_ns == s->lv_mtime_ns && size == s->lv_size)
		return;
	if (access(svc.lv_dir, F_OK)) {
		/* libvirt (its network driver) is not installed, or not yet */
		if (!svc.lv_dir_missing)
			log_info("%s does not exist: libvirt is not shown kvnet's DHCP leases",
				 svc.lv_dir);
		svc.lv_dir_missing = true;
		return;
	}
	datapath_unlock();
	ret = net_libvirt_status_write(leases, path, err, sizeof(err));
	datapath_lock();
	if (n->svc != s) /* stopped meanwhile (it cannot be: the control thread is here) */
		return;
	if (ret) {
		if (!s->lv_failed)
			log_warn("network %s: %s", n->def->name, err);
		s->lv_failed = true;
		return;
	}
	if (s->lv_failed || !s->lv_status[0])
		log_debug("network %s: its leases are in %s for libvirt", n->def->name, path);
	snprintf(s->lv_status, sizeof(s->lv_status), "%s", path);
	s->lv_mtime_ns = mtime_ns;
	s->lv_size = size;
	s->lv_failed = false;
}

void net_services_tick(uint64_t now_ns)
{
	for (struct kv_network *n = networks; n; n = n->next) {
		struct dnsmasq_proc *d = n->svc ? &n->svc->dnsmasq : NULL;
		bool changed;

		if (!d)
			continue;
		datapath_unlock();
		changed = dnsmasq_check(d, now_ns);
		datapath_lock();
		if (n->svc)
			net_libvirt_status(n);
		if (n->svc)
			net_uplink_sync(n);
		if (!changed)
			continue;
		if (d->state == DNSMASQ_RUNNING)
			log_info("network %s: dnsmasq restarted (pid %d)", n->def->name,
				 (int)d->pid);
		else
			log_warn("network %s: %s", n->def->name, d->error);
	}
}
