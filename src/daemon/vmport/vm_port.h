/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vm_port.h - VM ports: libvirt network ports and domain interfaces, each a switch port
 *
 * Theory of Operation
 * libvirt connects a VM's <interface> to a network through a network port (<networkport>:
 * owner domain, portgroup, MAC, VLAN). kvnet is the switch, so each network port is also a
 * port of the network's switch, with the VLAN membership its XML asks for: the port's own
 * <vlan>, else its portgroup's, else the network's (libvirt's precedence), and the rate
 * limits of its own <bandwidth>, else its portgroup's. An interface of
 * type='bridge' is a VM port on a named switch, with or without a network.
 * A VM port lives as long as its switch port: removing either removes both.
 */
#ifndef KVNET_DAEMON_VMPORT_VM_PORT_H
#define KVNET_DAEMON_VMPORT_VM_PORT_H

#include <stdbool.h>

#include "conf/iface_xml.h"
#include "conf/netport_xml.h"
#include "conf/network_def.h"

struct kv_network;
struct kv_port;

/**
 * struct kv_vm_port - a VM's port
 * @def:	its network port definition, with the VLAN in effect and the plug filled in
 * @net:	its network, or NULL (type='bridge' onto a switch no network runs)
 * @port:	the switch port
 * @type:	how the VM names its source (network or bridge)
 * @portgroup:	the portgroup in effect (the named one, or the network's default), or NULL
 * @own_vlan:	the port's XML gave its <vlan>: a portgroup's or the network's does not apply
 * @own_bandwidth: the port's XML gave its <bandwidth>: a portgroup's does not apply
 * @backend:	how QEMU reaches it: "tap", "dev", "stream" or "dgram"
 * @socket:	stream and dgram: the socket QEMU names (addr.path, remote.path), else NULL
 * @peer_socket: dgram: QEMU's own socket (local.path), else NULL
 * @listen:	stream: kvnet listens and QEMU connects (server=off)
 * @owns_tap:	kvnet made the persistent tap QEMU opens: deleting the port deletes it
 * @model:	the NIC QEMU gives the VM (enum ctl_nic_model): the interface's <model>, virtio
 *		when it has none
 * @next:	next VM port, by creation
 */
struct kv_vm_port {
	struct netport_def *def;
	struct kv_network *net;
	struct kv_port *port;
	enum iface_type type;
	char *portgroup;
	bool own_vlan;
	bool own_bandwidth;
	const char *backend;
	char *socket;
	char *peer_socket;
	bool listen;
	bool owns_tap;
	int model;
	struct kv_vm_port *next;
};

extern struct kv_vm_port *vm_ports;

/** vm_port_find() - the port of @net with UUID @key, or NULL */
struct kv_vm_port *vm_port_find(const struct kv_network *net, const char *key);

/** vm_port_find_mac() - the port of domain @owner with MAC @mac, or NULL */
struct kv_vm_port *vm_port_find_mac(const char *owner, const char *mac);

/** vm_port_count() - the number of VM ports on @net */
unsigned int vm_port_count(const struct kv_network *net);

/**
 * vm_port_owner_uuid() - the UUID of domain @owner: @owner itself when it is a UUID (a
 * domain libvirt started, named by its UUID), else the one kvnet gave it (from its other
 * ports), or a new one. Return: 0 or a negative errno
 */
int vm_port_owner_uuid(const char *owner, unsigned char uuid[CONF_UUID_LEN]);

/**
 * vm_port_resolve() - complete @def for network @nd as libvirt does: find its portgroup (the named
 * one, else the network's default) and give @def the VLAN in effect, the isolation and,
 * when it has none, the portgroup's <bandwidth>
 * @pg:		the portgroup in effect, or NULL
 * Return: 0, -ENOENT (no such portgroup) or -ENOMEM, with a message in @err
 */
int vm_port_resolve(const struct network_def *nd, struct netport_def *def, const char **pg,
		    char *err, size_t errlen);

/**
 * vm_port_apply_bandwidth() - limit switch port @p's rates as @bw says (NULL: no limits). For
 * a VM port (@host false) the inbound limit is on what the switch sends out of @p, the
 * outbound on what it receives; for a network's host port (@host), the other way round: a
 * network's inbound is what enters it from the host
 */
void vm_port_apply_bandwidth(struct kv_port *p, const struct conf_bandwidth *bw, bool host);

/**
 * vm_port_apply() - give switch port @p what @def asks: VLAN membership, isolation, MTU,
 * rate limits (<bandwidth>, none when it has none), and for <plug macTableManager='libvirt'>
 * no learning, no unknown-unicast flood and the VM's MAC a static FDB entry; with @reset, a
 * port without <vlan> or isolation is put back as a new port is
 * Return: 0, or a negative errno with a message in @err (a VLAN the core refuses, a full
 * MAC table)
 */
int vm_port_apply(struct kv_port *p, const struct netport_def *def, unsigned int mtu, bool reset,
		  char *err, size_t errlen);

/**
 * vm_port_add() - record VM port @def on switch port @p (@def is taken), on network @net
 * (named @net_name) or none; from now on deleting @p forgets it
 * @out:	gets the record
 * Return: 0, or -ENOMEM (@def is then freed)
 */
int vm_port_add(struct netport_def *def, struct kv_network *net, const char *net_name,
		struct kv_port *p, enum iface_type type, const char *pg, bool own_vlan,
		struct kv_vm_port **out);

/**
 * vm_port_reapply() - @net's portgroups or VLAN changed (to definition @nd): give each of
 * its ports that takes its VLAN from them the VLAN now in effect (a port whose portgroup is
 * gone falls back to the default portgroup or the network)
 */
void vm_port_reapply(const struct kv_network *net, const struct network_def *nd);

/** vm_port_del() - remove a VM port and its switch port */
void vm_port_del(struct kv_vm_port *vp);

/** vm_port_del_network() - remove every VM port of @net */
void vm_port_del_network(struct kv_network *net);

/**
 * vm_port_shutdown_begin() - kvnetd is stopping: from now on removed ports keep their
 * record and tap, so the VMs behind them get them back from the next kvnetd
 */
void vm_port_shutdown_begin(void);

#endif /* KVNET_DAEMON_VMPORT_VM_PORT_H */
