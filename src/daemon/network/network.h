/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network.h - libvirt networks run on kvnet switches: define, start, destroy, autostart
 *
 * Theory of Operation
 * A network is a libvirt <network> definition (conf/network_def.h) and, while it is
 * active, the switch it runs on. As in libvirt it is persistent (defined, stored by
 * net_store.c) or transient (net-create: gone once destroyed), and while it runs it has two
 * definitions: the live one it was started with, and the one net-define gave it for its
 * next start (@newdef). Everything here runs on the control thread under the datapath lock.
 *
 * Each change of a network (defined, started, destroyed, undefined, updated) is told to the
 * libvirt mirror (services/libvirt.h), which makes libvirtd's network of that name follow,
 * so that libvirt's domains can use kvnet's networks; the mirror is called without the
 * datapath lock, as libvirtd may take its time to answer.
 */
#ifndef KVNET_DAEMON_NETWORK_NETWORK_H
#define KVNET_DAEMON_NETWORK_NETWORK_H

#include <stdbool.h>
#include <stddef.h>

#include "conf/network_def.h"
#include "conf/network_update.h"

struct kv_switch;
struct net_services;

/**
 * struct kv_network - one network
 * @def:	the live definition while active; the persistent one otherwise
 * @newdef:	the definition for the next start, when net-define changed a running
 *		network; NULL otherwise
 * @active:	running: @sw exists
 * @persistent:	defined (stored); false for a transient network
 * @autostart:	started when kvnetd starts
 * @sw:		its switch while active
 * @svc:	its services (host port, dnsmasq, firewall, uplink) while active
 * @sw_joined:	the switch existed before (forward mode bridge onto a kvnet bridge): destroy
 *		removes only the network's ports from it
 * @next:	next network, in name order
 */
struct kv_network {
	struct network_def *def;
	struct network_def *newdef;
	bool active;
	bool persistent;
	bool autostart;
	struct kv_switch *sw;
	struct net_services *svc;
	bool sw_joined;
	struct kv_network *next;
};

/* every network, sorted by name */
extern struct kv_network *networks;

/* the longest network name kvnet accepts (it is a file name in the state dir) */
#define NETWORK_NAME_MAX 200

/** network_find() - the network named @key, or whose UUID @key is; NULL if none */
struct kv_network *network_find(const char *key);

/** network_by_switch() - the active network running on @sw, or NULL */
struct kv_network *network_by_switch(const struct kv_switch *sw);

/**
 * network_define() - define a persistent network from @def, or give an existing one (same
 * name) @def as its next definition
 * @def:	taken on success
 * @out:	the network
 * @created:	set when the network is new
 *
 * A network new to kvnet is refused when libvirt has a network of its name (or UUID) that
 * kvnet did not make (services/libvirt.h). Each change of a network (define, start, destroy,
 * undefine, update) is told to the libvirt mirror.
 *
 * Return: 0; or -EEXIST (name, UUID or bridge name taken, here or in libvirt), -EINVAL (a
 * bad name), or another negative errno (storage), with a message in @err
 */
int network_define(struct network_def *def, struct kv_network **out, bool *created, char *err,
		   size_t errlen);

/**
 * network_define_own() - network_define() for a network kvnet makes itself (the first
 * start's default network): a libvirt network of its name that kvnet did not make does not
 * refuse it, kvnet's is then only not mirrored into libvirt (logged)
 */
int network_define_own(struct network_def *def, struct kv_network **out, bool *created, char *err,
		       size_t errlen);

/**
 * network_create() - define a transient network from @def and start it
 * Return: as network_define() and network_start()
 */
int network_create(struct network_def *def, struct kv_network **out, char *err, size_t errlen);

/**
 * network_undefine() - forget the stored definition; a running network becomes transient
 * Return: 0, -EBUSY (it is transient already), or a storage errno, with a message in @err
 */
int network_undefine(struct kv_network *n, char *err, size_t errlen);

/**
 * network_start() - create the network's switch
 * Return: 0, -EBUSY (running), -EEXIST (a switch of its bridge's name exists), -ENOMEM,
 * with a message in @err
 */
int network_start(struct kv_network *n, char *err, size_t errlen);

/**
 * network_destroy() - remove the network's switch and every port on it; a transient network
 * is freed (@n is then gone)
 * Return: 0, or -EBUSY (not running) with a message in @err
 */
int network_destroy(struct kv_network *n, char *err, size_t errlen);

/**
 * network_set_autostart() - mark or unmark the network for starting with the daemon
 * Return: 0, -EBUSY (transient), or a storage errno, with a message in @err
 */
int network_set_autostart(struct kv_network *n, bool on, char *err, size_t errlen);

/**
 * network_load_all() - define every network in the state dir and start the autostarted
 * ones; a file that cannot be loaded, or a network that cannot start, is logged and skipped
 */
void network_load_all(void);

/**
 * struct network_update_req - one net-update, as virsh gives it
 * @cmd, @section, @parent_index, @xml:	as network_update() takes them
 * @live:	change the running network
 * @config:	change the persistent definition (stored at once)
 * Neither @live nor @config: the running network if it runs, else its definition.
 */
struct network_update_req {
	enum network_update_cmd cmd;
	enum network_update_section section;
	int parent_index;
	const char *xml;
	bool live;
	bool config;
};

/**
 * network_update_def() - apply a net-update: the definition(s) change, a running network
 * follows at once (dnsmasq reloaded or restarted, portgroup VLANs re-applied to its ports)
 * Return: 0; -EINVAL (the update is refused), -EBUSY (--live on an inactive network,
 * --config on a transient one, forward-interface live), or a storage errno; with a message in
 * @err. Nothing changes on failure.
 */
int network_update_def(struct kv_network *n, const struct network_update_req *u, char *err,
		       size_t errlen);

/**
 * network_define_default() - define libvirt's "default" network (NAT, DHCP, DNS on a free
 * 192.168.N.0/24, virbr0) and mark it autostart, as a first start of libvirt does
 */
void network_define_default(void);

/**
 * network_set_start_hook() - have @fn called for each network as it starts, once its switch
 * and services run. rpc/ registers the replay of the VM ports recorded for the network (a
 * kvnetd restarted under running VMs): that replay is a control request, which no code
 * below rpc/ may make, so it reaches the network's start through this hook.
 */
void network_set_start_hook(void (*fn)(struct kv_network *n));

/** network_shutdown() - destroy every active network and free every network, at exit */
void network_shutdown(void);

#endif /* KVNET_DAEMON_NETWORK_NETWORK_H */
