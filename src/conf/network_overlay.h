/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network_overlay.h - a network's VXLAN overlay, kvnet's own element in libvirt network XML
 *
 * Theory of Operation
 *
 * libvirt has no element for a network that spans hosts, so kvnet reads one
 * of its own namespace (NETWORK_XML_KVNET_NS, the one its libvirt mirror
 * marks networks with), as libvirt reads <dnsmasq:options>:
 *
 *   <network xmlns:kvnet='urn:kvnet:libvirt-network:1'>
 *     ...
 *     <kvnet:vxlan vni='100' local='10.0.0.1' dstport='4789'>
 *       <kvnet:remote address='10.0.0.2'/>
 *       <kvnet:map vlan='10' vni='1010'/>
 *     </kvnet:vxlan>
 *   </network>
 *
 * or a multicast group instead of the remotes:
 *   <kvnet:group address='239.1.1.1' dev='eth0'/>
 *
 * Parsed and checked here (conf/ knows nothing of sockets); the running
 * network makes a VXLAN port of it on its switch (daemon/network/net_overlay.c).
 */
#ifndef KVNET_CONF_NETWORK_OVERLAY_H
#define KVNET_CONF_NETWORK_OVERLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf/network_def.h"

/* kvnet's namespace in a libvirt network document (its mirror's <metadata> mark too) */
#define NETWORK_XML_KVNET_NS "urn:kvnet:libvirt-network:1"

/* the same limits as port/vxlan.h's (net_overlay.c checks they agree) */
#define NETWORK_VXLAN_REMOTES_MAX 16
#define NETWORK_VXLAN_MAP_MAX 64
#define NETWORK_VXLAN_VNI_MAX 0xffffffu
#define NETWORK_VXLAN_DSTPORT 4789
/* outer IPv4 (IPv6) + UDP + VXLAN headers: what the overlay takes off the underlay's MTU */
#define NETWORK_VXLAN_OVERHEAD4 50
#define NETWORK_VXLAN_OVERHEAD6 70

/* <kvnet:map vlan vni/>: one VLAN of the network carried as a VNI of its own */
struct network_vxlan_map {
	unsigned int vlan; /* 1..4094 */
	uint32_t vni;
};

/**
 * struct network_vxlan - <kvnet:vxlan>; what is absent is 0 / NULL / AF_UNSPEC, so that it
 * formats back as it was given
 * @name:	the VXLAN port's name, or NULL (network_vxlan_port_name())
 * @has_vni:	@vni was given (else only @map carries frames)
 * @vni:	VNI of untagged frames, 0..NETWORK_VXLAN_VNI_MAX
 * @local:	the local underlay address (required)
 * @dstport:	UDP port, 0 when absent (NETWORK_VXLAN_DSTPORT)
 * @ttl:	0 when absent (64)
 * @tos:	-1 when absent (0)
 * @underlay_mtu: 0 when absent (the MTU of the interface holding @local)
 * @remotes:	unicast remotes, of @local's family
 * @group:	a multicast group instead of @remotes, AF_UNSPEC when absent
 * @group_dev:	the interface the group is joined on, or NULL (the route's)
 * @map:	VLAN -> VNI
 */
struct network_vxlan {
	char *name;
	bool has_vni;
	uint32_t vni;
	struct conf_addr local;
	unsigned int dstport;
	unsigned int ttl;
	int tos;
	unsigned int underlay_mtu;
	struct conf_addr *remotes;
	size_t n_remotes;
	struct conf_addr group;
	char *group_dev;
	struct network_vxlan_map *map;
	size_t n_map;
};

/** network_vxlan_free() - free @vx and what it owns; NULL is fine */
void network_vxlan_free(struct network_vxlan *vx);

/**
 * network_vxlan_port_name() - the VXLAN port's name: @vx->name, else "vx-" and the first
 * 12 characters of @bridge
 */
void network_vxlan_port_name(const struct network_vxlan *vx, const char *bridge, char *buf,
			     size_t len);

/** network_vxlan_overhead() - 50 or 70: the headers the underlay adds to a guest's frame */
unsigned int network_vxlan_overhead(const struct network_vxlan *vx);

#endif /* KVNET_CONF_NETWORK_OVERLAY_H */
