/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_vxlan.h - VXLAN ports in port.add, port.list, stats.show and fdb.list */
#ifndef KVNET_DAEMON_RPC_CTL_VXLAN_H
#define KVNET_DAEMON_RPC_CTL_VXLAN_H

#include <jansson.h>
#include <stdint.h>

#include "daemon/rpc/ctl_request.h"
#include "port/port.h"

/* port.add's params for a VXLAN port; any of them with another type is refused */
#define CTL_VXLAN_PARAMS                                                                           \
	"vni", "local", "remote", "dstport", "ttl", "tos", "underlay_mtu", "vlan_vni", "group",    \
		"dev"

/**
 * ctl_vxlan_open() - the back-end of VXLAN port @name from port.add's params: vni (for
 * untagged frames), vlan_vni (VLAN=VNI pairs separated by commas; one of the two is
 * required), local (required, an IPv4 or IPv6 address), remote (addresses separated by
 * commas) or group (a multicast address, with dev its interface; one of the two), dstport (default 4789), ttl (default 64), underlay_mtu (default:
 * the MTU of the local address's interface)
 * @out:	gets the back-end
 * Return: 0, or -1 after ctl_fail()
 */
int ctl_vxlan_open(struct ctl_request *req, const char *name, struct port **out);

struct kv_port;
struct kv_switch;

/**
 * ctl_vxlan_pin() - fdb.add's "remote": unicast to @mac in @vid on VXLAN port @p goes to
 * @remote (one of its remotes), learning notwithstanding; with @check, only whether it
 * could be (call it so before the core's static entry is made, and without after)
 * Return: 0, or -1 after ctl_fail()
 */
int ctl_vxlan_pin(struct ctl_request *req, struct kv_port *p, const uint8_t mac[6], uint16_t vid,
		  const char *remote, bool check);

/* after static entries went (fdb.del, fdb.flush, fdb.add replace): the VXLAN ports of @sw
 * forget the remotes of those that are gone */
void ctl_vxlan_fdb_sync(struct kv_switch *sw);

/**
 * ctl_vxlan_join() - a new VXLAN port @p joins the VLANs its vlan_vni maps (tagged), and
 * leaves the default one if it has no VNI for untagged frames; other ports are left alone
 */
void ctl_vxlan_join(struct kv_port *p);

/**
 * ctl_vxlan_refuse() - refuse VXLAN params given with port type @type
 * Return: 0 if there are none, or -1 after ctl_fail()
 */
int ctl_vxlan_refuse(struct ctl_request *req, const char *type);

/* port.list's "vxlan" member of a VXLAN port, or NULL for another back-end */
json_t *ctl_vxlan_json(const struct port *be);

/* stats.show's "vxlan_drops" of a VXLAN port: {"bad-remote": N, ...}, or NULL */
json_t *ctl_vxlan_drops(const struct port *be);

/* fdb.list's "remote" of @mac in VLAN @vid on back-end @be: a new string, or NULL if none */
json_t *ctl_vxlan_remote(const struct port *be, const uint8_t mac[6], uint16_t vid);

/* VXLAN port @p's port.add params, for the store to make it again (ctl_store.c) */
json_t *ctl_vxlan_add_params(const struct kv_port *p);

/* fdb.add's "remote" of a static entry on back-end @be (ctl_store.c), or NULL */
json_t *ctl_vxlan_pinned(const struct port *be, const uint8_t mac[6], uint16_t vid);

#endif
