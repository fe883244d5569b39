/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netlink.h - rtnetlink (libmnl) for the links kvnet makes: namespace, up/down, MTU */
#ifndef KVNET_SERVICES_NETLINK_H
#define KVNET_SERVICES_NETLINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

/*
 * Each call opens its own rtnetlink socket, sends one request, waits for
 * the kernel's answer, and closes it: these are control-path calls.
 * On failure they return a negative errno and write a message naming the
 * link and the request into @err.
 */

/**
 * netlink_netns_open() - open network namespace @name as `ip netns` names them
 *			  (/run/netns/@name)
 * Return: a file descriptor, or a negative errno
 */
int netlink_netns_open(const char *name, char *err, size_t errlen);

/**
 * netlink_link_set_netns() - move link @ifindex (in the caller's namespace)
 *			      into the namespace @netns_fd
 */
int netlink_link_set_netns(int ifindex, int netns_fd, char *err, size_t errlen);

/**
 * netlink_link_set_up() - set link @ifname up or down; in the namespace @netns_fd,
 *			   or the caller's if @netns_fd is -1
 */
int netlink_link_set_up(const char *ifname, int netns_fd, bool up, char *err, size_t errlen);

/**
 * netlink_link_set_mtu() - set the MTU of link @ifname (caller's namespace if @netns_fd is -1)
 */
int netlink_link_set_mtu(const char *ifname, int netns_fd, unsigned mtu, char *err, size_t errlen);

/**
 * netlink_link_set_mac() - set the MAC address of link @ifname (caller's namespace if
 *			    @netns_fd is -1)
 */
int netlink_link_set_mac(const char *ifname, int netns_fd, const uint8_t mac[6], char *err,
			 size_t errlen);

/**
 * netlink_veth_add() - make a veth pair @name - @peer in the caller's namespace (both down)
 */
int netlink_veth_add(const char *name, const char *peer, char *err, size_t errlen);

/**
 * netlink_link_set_master() - enslave link @ifname to @master (a bridge), in the caller's
 *			       namespace
 */
int netlink_link_set_master(const char *ifname, const char *master, char *err, size_t errlen);

/**
 * netlink_addr_add() - add address @addr/@prefix (@family AF_INET or AF_INET6; 4 or 16 bytes)
 *			to link @ifname in the caller's namespace; an IPv4 address gets its
 *			subnet's broadcast, an IPv6 one skips duplicate address detection
 */
int netlink_addr_add(const char *ifname, int family, const void *addr, unsigned prefix, char *err,
		     size_t errlen);

/**
 * netlink_route_change() - add or delete a static route in the main table of the caller's
 *			    namespace, as `ip route add|del DST/PREFIX via GW dev IFNAME metric M`
 * @add:	true to add (refused if the same route exists), false to delete
 * @ifname:	the link the route leaves by
 * @family:	AF_INET or AF_INET6; @dst and @gw are 4 or 16 bytes of it
 * @metric:	the route's priority
 *
 * Return: 0, or a negative errno (the kernel's) with a message naming the route
 */
int netlink_route_change(bool add, const char *ifname, int family, const void *dst, unsigned prefix,
			 const void *gw, uint32_t metric, char *err, size_t errlen);

/**
 * netlink_link_set_ipv6() - turn IPv6 on or off on link @ifname in the caller's namespace
 * (its disable_ipv6 setting, written in /proc/sys: rtnetlink cannot change it). Off on a
 * kernel without IPv6 is a success.
 */
int netlink_link_set_ipv6(const char *ifname, bool on, char *err, size_t errlen);

/** netlink_link_del() - delete link @ifname in the caller's namespace */
int netlink_link_del(const char *ifname, char *err, size_t errlen);

#endif
