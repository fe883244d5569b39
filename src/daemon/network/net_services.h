/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_services.h - what a running network provides besides its switch
 *
 * Theory of Operation
 * Every switch a network makes has a host netdev, named after its bridge, with the network's
 * MAC and MTU (daemon/switch/switch_host.h). A network with an <ip> puts its addresses on it,
 * making it the network's host port, so the host is on the network as on libvirt's virbr0.
 * dnsmasq serves DHCP and DNS on it (one process per network, configured as libvirt
 * configures it), and kvnet's nftables table holds the network's NAT and forwarding rules. A
 * bridge-mode network with <forward dev> or <interface dev>s gets those interfaces as uplink
 * ports through AF_PACKET (net_uplink.h: an 802.1Q trunk, active-backup). Starting either succeeds as a whole or leaves nothing behind; only dnsmasq may
 * fail on its own, which is reported (net-info, the log) while the switch keeps forwarding,
 * and it is restarted with back-off.
 *
 * libvirt reads a network's DHCP leases from its own status file, DIR/<bridge>.status
 * (services/libvirt_leases.h), for `virsh net-dhcp-leases` and `virsh domifaddr`. Given DIR
 * (net_services_libvirt_leases()), the tick keeps that file for each running network that is
 * mirrored into libvirt (services/libvirt.h): written again, atomically, once dnsmasq's lease
 * file changed (its mtime or size), removed when the network stops or is no longer mirrored.
 * DIR is libvirtd's: never made here; while it is missing nothing is written (logged once).
 */
#ifndef KVNET_DAEMON_NETWORK_NET_SERVICES_H
#define KVNET_DAEMON_NETWORK_NET_SERVICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/network_def.h"
#include "daemon/network/net_uplink.h"
#include "services/dnsmasq.h"

struct kv_network;
struct kv_port;

/**
 * struct net_services - a running network's services
 * @host_port:	its switch's host netdev when it carries the network's <ip>, or NULL
 * @uplink:	its uplinks (bridge mode; none otherwise), net_uplink.h
 * @overlay:	its VXLAN port (<kvnet:vxlan>, net_overlay.h), or NULL
 * @firewall:	its rules are in kvnet's table
 * @n_routes:	the first so many of its <route>s are installed (net_routes.h)
 * @dnsmasq:	its dnsmasq
 * @lv_status:	the libvirt status file written for it, "" when there is none
 * @lv_mtime_ns, @lv_size: the lease file's as it was when @lv_status was written (-1: none)
 * @lv_failed:	the last write of @lv_status failed (logged once, retried each tick)
 */
struct net_services {
	struct kv_port *host_port;
	struct net_uplink uplink;
	struct kv_port *overlay;
	bool firewall;
	size_t n_routes;
	struct dnsmasq_proc dnsmasq;
	char lv_status[DNSMASQ_PATH_MAX];
	int64_t lv_mtime_ns;
	int64_t lv_size;
	bool lv_failed;
};

/**
 * net_services_init() - at daemon start: the run dir's dnsmasq/ folder, dnsmasqs and
 * nftables table a killed kvnetd left, cleaned
 * Return: 0, or a negative errno with a message in @err
 */
int net_services_init(const char *run_dir, char *err, size_t errlen);

/**
 * net_services_libvirt_leases() - keep libvirt's lease status files in @dir (the tick), or
 * none when @dir is NULL (the default); before any network starts
 * Return: 0, or -ENAMETOOLONG
 */
int net_services_libvirt_leases(const char *dir);

/** net_services_fini() - at exit, after every network is stopped: kvnet's table goes */
void net_services_fini(void);

/**
 * net_services_start() - start network @n's services (its switch exists); called with the
 * datapath lock held, which it lets go around slow work
 * Return: 0, or a negative errno with a message in @err (then nothing of it is left)
 */
int net_services_start(struct kv_network *n, char *err, size_t errlen);

/** net_services_stop() - stop them all */
void net_services_stop(struct kv_network *n);

/**
 * net_services_refresh() - the live definition's hosts, ranges or DNS records changed:
 * rewrite dnsmasq's files and reload it (restart it when @restart)
 * Return: 0, or a negative errno with a message in @err
 */
int net_services_refresh(struct kv_network *n, bool restart, char *err, size_t errlen);

/**
 * net_services_tick() - once a second: notice a dnsmasq that died, restart it when due; keep
 * libvirt's lease status files in step
 */
void net_services_tick(uint64_t now_ns);

/**
 * net_services_leases_path() - network @name's dnsmasq lease file into @buf
 */
void net_services_leases_path(const char *name, char *buf, size_t len);

/**
 * net_services_check_overlap() - refuse a subnet of @def that overlaps one of a running
 * network other than @self, or an address on this host
 * Return: 0, or -EEXIST with a message naming both in @err
 */
int net_services_check_overlap(const struct network_def *def, const struct kv_network *self,
			       char *err, size_t errlen);

/* a subnet: the first @prefix bits of @addr */
struct net_subnet {
	int family;
	unsigned char addr[16];
	unsigned int prefix;
};

/** net_subnet_of() - the subnet of <ip> @ip */
void net_subnet_of(const struct network_ip *ip, struct net_subnet *s);

/**
 * net_services_needs_host_port() - does network @def have a host port: an <ip> and a
 * forward mode other than bridge
 */
bool net_services_needs_host_port(const struct network_def *def);

/** net_services_ifname_free() - is @name free of host interfaces (for virbrN) */
bool net_services_ifname_free(const char *name);

#endif /* KVNET_DAEMON_NETWORK_NET_SERVICES_H */
