/* SPDX-License-Identifier: GPL-2.0-or-later */
/* net_vlan.h - a network's gateway in its VLAN: the host port's membership, and the
 * portgroups left without one
 *
 * Theory of Operation
 * A VM port takes its <vlan> from its portgroup, else from the network (vm_port_resolve()).
 * The host port (the switch's host netdev with the network's <ip>: gateway, DHCP, DNS) is
 * made an untagged member and PVID of the VLAN the network's untagged frames land in, its
 * native VLAN, so that a VM on a network with <vlan><tag id='10'/> reaches its gateway. A
 * portgroup whose native VLAN is another has no gateway: kvnet runs it (a pure L2 VLAN is a
 * thing users build) and says so, in the log and in net-info.
 */
#ifndef KVNET_DAEMON_NETWORK_NET_VLAN_H
#define KVNET_DAEMON_NETWORK_NET_VLAN_H

#include <stddef.h>
#include <stdint.h>

#include "conf/network_def.h"

struct kv_network;

/**
 * net_vlan_native() - the VLAN a port with <vlan> @v puts the untagged frames it receives
 * in, as vlan_apply_spec() makes it
 * Return: 1 when @v is absent (every new port is in VLAN 1), the VID of the single tag of an
 * access port or of the tag with a nativeMode, 0 for a trunk without a native tag
 */
uint16_t net_vlan_native(const struct conf_vlan *v);

/**
 * net_vlan_host_apply() - make network @n's host port an untagged member and the PVID of
 * the network's native VLAN, and nothing else (the datapath lock held)
 * @n:		an active network with a host port
 *
 * Nothing changes for a network without <vlan> or a trunk without a native tag: the port
 * stays in VLAN 1 (net_vlan_warnings() says so for the trunk).
 * Return: 0, or a negative errno with a message in @err
 */
int net_vlan_host_apply(struct kv_network *n, char *err, size_t errlen);

/**
 * net_vlan_warnings() - call @fn with each warning about VLANs of network definition @def
 * that have no gateway: its own trunk without a native tag, and each portgroup whose native
 * VLAN is not the network's. None for a network without a host port (no <ip>, or bridge
 * mode).
 * @fn:		called with a message naming the portgroup or <vlan>, and @opaque
 * Return: the number of warnings
 */
size_t net_vlan_warnings(const struct network_def *def, void (*fn)(const char *msg, void *opaque),
			 void *opaque);

/** net_vlan_log_warnings() - log each of net_vlan_warnings() of network @def */
void net_vlan_log_warnings(const struct network_def *def);

#endif /* KVNET_DAEMON_NETWORK_NET_VLAN_H */
