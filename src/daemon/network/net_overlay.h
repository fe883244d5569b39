/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_overlay.h - a network's VXLAN overlay (<kvnet:vxlan>) as a port of its switch
 *
 * Theory of Operation
 * A network whose definition has a <kvnet:vxlan> (conf/network_overlay.h) spans hosts: at
 * start a VXLAN port (port/vxlan.h) is made on its switch from that element, and it goes
 * at destroy. The port is a member of the network's native VLAN untagged, as the host port
 * is (its VNI carries untagged frames), and of each mapped VLAN tagged (each in its own
 * VNI). A network without <mtu> gives its guests and its host port the MTU the overlay
 * leaves: the underlay's (underlayMtu, else the MTU of the interface holding the local
 * address) less 50 bytes of headers, 70 over IPv6; a <mtu> larger than that is logged as
 * a warning, logged at start and shown by net-info (frames over it are dropped and
 * counted: vxlan drop over-mtu).
 */
#ifndef KVNET_DAEMON_NETWORK_NET_OVERLAY_H
#define KVNET_DAEMON_NETWORK_NET_OVERLAY_H

#include <stddef.h>

struct kv_network;
struct network_def;

/**
 * net_overlay_mtu() - the guests' MTU on @def's overlay: underlay MTU less the headers
 * Return: that MTU, or 0 when @def has no overlay
 */
unsigned int net_overlay_mtu(const struct network_def *def);

/**
 * net_overlay_start() - make network @n's VXLAN port on its switch (n->sw, n->svc made)
 * Return: 0 (also when it has no overlay), or a negative errno with a message naming the
 * network and what was wrong in @err
 */
int net_overlay_start(struct kv_network *n, char *err, size_t errlen);

/**
 * net_overlay_warnings() - call @fn with each warning about @def's overlay (a <mtu> larger
 * than it carries), as net-info shows them
 * Return: how many
 */
size_t net_overlay_warnings(const struct network_def *def,
			    void (*fn)(const char *msg, void *opaque), void *opaque);

/** net_overlay_stop() - remove network @n's VXLAN port, if it has one */
void net_overlay_stop(struct kv_network *n);

#endif /* KVNET_DAEMON_NETWORK_NET_OVERLAY_H */
