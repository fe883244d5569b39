/* SPDX-License-Identifier: GPL-2.0-or-later */
/* network.c - libvirt networks run on kvnet switches: define, start, destroy, autostart */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/conf_uuid.h"
#include "conf/network_xml.h"
#include "core/eth.h"
#include "ctl/vocab.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/net_services.h"
#include "daemon/network/net_store.h"
#include "daemon/network/net_overlay.h"
#include "daemon/network/net_uplink.h"
#include "daemon/network/net_vlan.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_event.h"
#include "daemon/switch/switch_host.h"
#include "daemon/vmport/vm_port.h"
#include "services/libvirt.h"
#include "util/log.h"

struct kv_network *networks;
static void (*network_start_hook)(struct kv_network *n);

void network_set_start_hook(void (*fn)(struct kv_network *n))
{
	network_start_hook = fn;
}

struct kv_network *network_find(const char *key)
{
	unsigned char uuid[CONF_UUID_LEN];
	struct kv_network *n;

	for (n = networks; n; n = n->next)
		if (!strcmp(n->def->name, key))
			return n;
	if (conf_uuid_parse(key, uuid))
		return NULL;
	for (n = networks; n; n = n->next)
		if (!memcmp(n->def->uuid, uuid, CONF_UUID_LEN))
			return n;
	return NULL;
}

struct kv_network *network_by_switch(const struct kv_switch *sw)
{
	for (struct kv_network *n = networks; n; n = n->next)
		if (n->active && n->sw == sw)
			return n;
	return NULL;
}

static void network_free(struct kv_network *n)
{
	network_def_free(n->def);
	network_def_free(n->newdef);
	free(n);
}

static void network_link(struct kv_network *n)
{
	struct kv_network **pp = &networks;

	while (*pp && strcmp((*pp)->def->name, n->def->name) < 0)
		pp = &(*pp)->next;
	n->next = *pp;
	*pp = n;
}

static void network_unlink(struct kv_network *n)
{
	struct kv_network **pp = &networks;

	while (*pp != n)
		pp = &(*pp)->next;
	*pp = n->next;
}

/*
 * Tell libvirt what @n is now (services/libvirt.h): running or not, on which bridge, with
 * which definitions. libvirtd takes its time to answer: without the datapath lock (only this
 * thread changes networks, so @n stays as it is meanwhile).
 */
static void network_mirror(const struct kv_network *n)
{
	const struct network_def *config = !n->persistent ? NULL : n->newdef ? n->newdef : n->def;

	datapath_unlock();
	libvirt_net_set(n->def->name, n->active ? n->def : NULL, n->active ? n->sw->name : NULL,
			config);
	datapath_lock();
}

/* kvnet no longer has network @name: neither does libvirt (if kvnet made libvirt's) */
static void network_mirror_forget(const char *name)
{
	datapath_unlock();
	libvirt_net_forget(name);
	datapath_lock();
}

/* @n undefined or destroyed: still there (@keep: running, or defined) is told to libvirt as
 * it is now; else it is gone, from kvnet and from libvirt */
static void network_keep_or_drop(struct kv_network *n, bool keep)
{
	if (keep) {
		network_mirror(n);
		return;
	}
	network_mirror_forget(n->def->name);
	network_unlink(n);
	network_free(n);
}

/* may kvnet make network @def, new to it: not over a libvirt network kvnet did not make */
static int network_mirror_check(const struct network_def *def, char *err, size_t errlen)
{
	int ret;

	datapath_unlock();
	ret = libvirt_net_check(def, err, errlen);
	datapath_lock();
	return ret;
}

/* The name is a file name in the state dir and a word in messages. Return: 0 or -EINVAL */
static int network_name_check(const char *name, char *err, size_t errlen)
{
	size_t len = strlen(name);

	if (!len || len > NETWORK_NAME_MAX) {
		snprintf(err, errlen, "network name '%.64s' must be 1 to %d characters", name,
			 NETWORK_NAME_MAX);
		return -EINVAL;
	}
	if (name[0] == '.' || strchr(name, '/')) {
		snprintf(err, errlen,
			 "network name '%.64s' must not contain '/' or start with '.' "
			 "(it names a file)",
			 name);
		return -EINVAL;
	}
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if (*p < 0x20 || *p == 0x7f) {
			snprintf(err, errlen, "network name must not contain control characters");
			return -EINVAL;
		}
	}
	return 0;
}

static bool network_uses_bridge_name(const struct network_def *d, const char *br)
{
	return d && d->bridge.name && !strcmp(d->bridge.name, br);
}

/* the network other than @self whose definition names bridge @br, or NULL */
static struct kv_network *network_bridge_owner(const char *br, const struct kv_network *self)
{
	for (struct kv_network *n = networks; n; n = n->next)
		if (n != self && (network_uses_bridge_name(n->def, br) ||
				  network_uses_bridge_name(n->newdef, br)))
			return n;
	return NULL;
}

/* the lowest virbrN no network names and no switch has, as libvirt picks them */
static int network_free_bridge_name(char *buf, size_t len, const struct kv_network *self)
{
	for (int i = 0; i < 1024; i++) {
		snprintf(buf, len, "virbr%d", i);
		if (!network_bridge_owner(buf, self) && !switch_find(buf) &&
		    net_services_ifname_free(buf))
			return 0;
	}
	return -ENOSPC;
}

/* the modes where kvnet's switch is the network's own bridge (libvirt's host bridge) */
static bool network_owns_bridge(const struct network_def *d)
{
	switch (d->forward.mode) {
	case CONF_FORWARD_NONE:
	case CONF_FORWARD_NAT:
	case CONF_FORWARD_ROUTE:
	case CONF_FORWARD_OPEN:
		return true;
	default:
		return false;
	}
}

/* the relay of the switch a network makes: VEPA and private for those forward modes */
static enum bridge_relay network_relay(const struct network_def *d)
{
	return d->forward.mode == CONF_FORWARD_VEPA	 ? BR_RELAY_VEPA
	       : d->forward.mode == CONF_FORWARD_PRIVATE ? BR_RELAY_PRIVATE
							 : BR_RELAY_VEB;
}

/*
 * Fill in what libvirt fills in when a network is defined: a bridge name and a MAC for
 * the networks that own their bridge. Return: 0, or a negative errno with a message
 */
static int network_fill_defaults(struct network_def *def, const struct kv_network *self, char *err,
				 size_t errlen)
{
	char buf[SWITCH_NAME_MAX];
	struct kv_network *other;

	if (!network_owns_bridge(def))
		return 0;
	if (!def->bridge.name) {
		if (network_free_bridge_name(buf, sizeof(buf), self)) {
			snprintf(err, errlen, "no free bridge name virbr0..virbr1023");
			return -ENOSPC;
		}
		def->bridge.name = strdup(buf);
		if (!def->bridge.name)
			return -ENOMEM;
	}
	if (!ctl_name_valid(def->bridge.name)) {
		snprintf(err, errlen,
			 "bridge name '%.64s' is not an interface name (expected 1 to 15 of "
			 "A-Z a-z 0-9 _ . -)",
			 def->bridge.name);
		return -EINVAL;
	}
	other = network_bridge_owner(def->bridge.name, self);
	if (other) {
		snprintf(err, errlen, "bridge name '%s' is already used by network '%s'",
			 def->bridge.name, other->def->name);
		return -EEXIST;
	}
	if (!def->mac) {
		char mac[CONF_MAC_STRLEN];
		int ret = conf_mac_generate(mac);

		if (ret) {
			snprintf(err, errlen, "cannot generate a MAC address: %s", strerror(-ret));
			return ret;
		}
		def->mac = strdup(mac);
		if (!def->mac)
			return -ENOMEM;
	}
	return 0;
}

/* Check @def against the other networks, and complete it. Return: the network of that name
 * or NULL in *@same; 0 or a negative errno with a message */
static int network_check_new_def(struct network_def *def, struct kv_network **same, char *err,
				 size_t errlen)
{
	char uuid[CONF_UUID_STRLEN];
	struct kv_network *n;
	int ret;

	ret = network_name_check(def->name, err, errlen);
	if (ret)
		return ret;
	*same = NULL;
	for (n = networks; n; n = n->next)
		if (!strcmp(n->def->name, def->name))
			*same = n;
	n = *same;
	if (n && def->uuid_given && memcmp(n->def->uuid, def->uuid, CONF_UUID_LEN)) {
		conf_uuid_format(n->def->uuid, uuid);
		snprintf(err, errlen, "network '%s' already exists with uuid %s", def->name, uuid);
		return -EEXIST;
	}
	if (n) {
		memcpy(def->uuid, n->def->uuid, CONF_UUID_LEN);
	} else {
		for (struct kv_network *o = networks; o; o = o->next) {
			if (memcmp(o->def->uuid, def->uuid, CONF_UUID_LEN))
				continue;
			conf_uuid_format(def->uuid, uuid);
			snprintf(err, errlen, "uuid %s is already network '%s'", uuid,
				 o->def->name);
			return -EEXIST;
		}
	}
	return network_fill_defaults(def, n, err, errlen);
}

static int network_save(const struct network_def *def, char *err, size_t errlen)
{
	char *xml;
	int ret;

	if (network_xml_format(def, NETWORK_XML_INACTIVE, &xml)) {
		snprintf(err, errlen, "out of memory formatting network '%s'", def->name);
		return -ENOMEM;
	}
	/* an fsync can take a while: let frames flow meanwhile (only this thread changes
	 * networks, so nothing moves under us) */
	datapath_unlock();
	ret = net_store_save(def->name, xml, err, errlen);
	datapath_lock();
	free(xml);
	return ret;
}

/* network_define(), refused over a libvirt network kvnet did not make when @libvirt_check */
static int network_define_checked(struct network_def *def, bool libvirt_check,
				  struct kv_network **out, bool *created, char *err, size_t errlen)
{
	struct kv_network *n;
	int ret;

	ret = network_check_new_def(def, &n, err, errlen);
	if (!ret && !n && libvirt_check)
		ret = network_mirror_check(def, err, errlen);
	if (ret)
		return ret;
	ret = network_save(def, err, errlen);
	if (ret)
		return ret;
	*created = !n;
	if (!n) {
		n = calloc(1, sizeof(*n));
		if (!n) {
			/* stored but not known: the next start loads it; say so */
			snprintf(err, errlen, "out of memory; '%s' is stored and loads at restart",
				 def->name);
			return -ENOMEM;
		}
		n->def = def;
		network_link(n);
	} else if (n->active) {
		network_def_free(n->newdef);
		n->newdef = def;
	} else {
		network_def_free(n->def);
		n->def = def;
	}
	n->persistent = true;
	*out = n;
	log_info("network %s defined", def->name);
	switch_event_network(SWITCH_EV_NET_DEFINED, def->name, NULL);
	network_mirror(n);
	return 0;
}

int network_define(struct network_def *def, struct kv_network **out, bool *created, char *err,
		   size_t errlen)
{
	return network_define_checked(def, true, out, created, err, errlen);
}

int network_define_own(struct network_def *def, struct kv_network **out, bool *created, char *err,
		       size_t errlen)
{
	return network_define_checked(def, false, out, created, err, errlen);
}

int network_create(struct network_def *def, struct kv_network **out, char *err, size_t errlen)
{
	struct kv_network *n;
	int ret;

	ret = network_check_new_def(def, &n, err, errlen);
	if (ret)
		return ret;
	if (n) {
		snprintf(err, errlen, "network '%s' already exists%s", def->name,
			 n->active ? " and is active" : "; start it with net-start");
		return -EEXIST;
	}
	ret = network_mirror_check(def, err, errlen);
	if (ret)
		return ret;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->def = def;
	network_link(n);
	ret = network_start(n, err, errlen);
	if (ret) {
		network_unlink(n);
		n->def = NULL; /* the caller still owns @def on failure */
		network_free(n);
		return ret;
	}
	*out = n;
	return 0;
}

int network_undefine(struct kv_network *n, char *err, size_t errlen)
{
	int ret;

	if (!n->persistent) {
		snprintf(err, errlen, "network '%s' is transient: there is no definition to remove",
			 n->def->name);
		return -EBUSY;
	}
	ret = net_store_remove(n->def->name, err, errlen);
	if (ret)
		return ret;
	log_info("network %s undefined", n->def->name);
	switch_event_network(SWITCH_EV_NET_UNDEFINED, n->def->name, NULL);
	n->persistent = false;
	n->autostart = false;
	network_def_free(n->newdef);
	n->newdef = NULL;
	network_keep_or_drop(n, n->active);
	return 0;
}

/*
 * a switch for @def: its bridge name, or a free virbrN for a bridge-mode network without one
 * or whose bridge name is a kernel bridge it joins (net_uplink.h). Return: 0, -ENOSPC, or
 * -EINVAL with a message for a bridge name that is an interface but no bridge
 */
static int network_switch_name(const struct kv_network *n, char *buf, size_t len, char *err,
			       size_t errlen)
{
	int ret = net_uplink_host_bridge(n->def, err, errlen);

	if (ret < 0)
		return ret;
	if (n->def->bridge.name && !ret) {
		snprintf(buf, len, "%s", n->def->bridge.name);
		return 0;
	}
	return network_free_bridge_name(buf, len, n);
}

/*
 * <bridge stp='on|off' delay='N'/>: libvirt's default is on, delay 0. The
 * forward delay is clamped to 802.1D's 4..30 s, and the max age lowered to
 * 2 * (forward delay - 1) where the default 20 s does not fit (delay 0 or 4:
 * forward delay 4, max age 6).
 */
static int network_stp_start(struct kv_switch *sw, const struct network_bridge *b)
{
	struct stp_config c;
	long fd = b->delay < 0 ? 0 : b->delay;
	int ret;

	if (b->stp == CONF_TRI_NO)
		return 0;
	stp_config_default(&c);
	fd = fd < STP_FWD_DELAY_MIN   ? STP_FWD_DELAY_MIN
	     : fd > STP_FWD_DELAY_MAX ? STP_FWD_DELAY_MAX
				      : fd;
	c.forward_delay = (uint8_t)fd;
	if (c.max_age > 2 * (c.forward_delay - 1))
		c.max_age = (uint8_t)(2 * (c.forward_delay - 1));
	ret = switch_stp_set_config(sw, &c);
	return ret ? ret : switch_stp_enable(sw, true);
}

/*
 * The host netdev of the switch network @n made (switch_host.h), with the network's <mac>
 * (a bridge-mode network has none: then the switch's stable one), <mtu> and <bandwidth>;
 * IPv6 on it only for a network with an IPv6 address or ipv6='yes'.
 * Return: 0, or a negative errno with a message
 */
static int network_host_add(struct kv_network *n, struct kv_switch *sw, char *err, size_t errlen)
{
	const struct network_def *def = n->def;
	/* without <mtu>, what its VXLAN overlay leaves room for (net_overlay.h) */
	struct switch_host_cfg cfg = { .mtu = def->mtu ? def->mtu : net_overlay_mtu(def) };
	uint8_t mac[ETH_ALEN];
	int ret;

	if (def->mac && !ctl_mac_parse(def->mac, mac))
		cfg.mac = mac;
	/* ipv6='yes': IPv6 (link-local) between guests and host even without an address */
	cfg.ipv6 = def->ipv6;
	for (size_t i = 0; i < def->n_ips; i++)
		cfg.ipv6 |= def->ips[i].address.family == AF_INET6;
	ret = switch_host_add(sw, &cfg, err, errlen);
	if (ret == -EEXIST && !switch_port_find(sw->name))
		snprintf(err, errlen,
			 "an interface named '%s' already exists on this host (is libvirt's "
			 "network running?); give the network another <bridge name>",
			 sw->name);
	if (!ret && sw->host) {
		sw->host->net = n;
		/* libvirt limits the network's bridge device: kvnet its host port */
		vm_port_apply_bandwidth(sw->host, def->bandwidth, true);
	} else if (!ret && def->bandwidth) {
		log_warn("network %s: <bandwidth> not applied: its bridge has no host port "
			 "(kvnetd without CAP_NET_ADMIN), so no traffic passes the host",
			 def->name);
	}
	return ret;
}

int network_start(struct kv_network *n, char *err, size_t errlen)
{
	struct network_def *def = n->def;
	char name[SWITCH_NAME_MAX];
	struct bridge_config cfg;
	struct kv_switch *sw;
	int ret;

	if (n->active) {
		snprintf(err, errlen, "network '%s' is already active", def->name);
		return -EBUSY;
	}
	ret = network_switch_name(n, name, sizeof(name), err, errlen);
	if (ret == -EINVAL)
		return ret;
	if (ret || !ctl_name_valid(name)) {
		snprintf(err, errlen, "network '%s' has no usable bridge name", def->name);
		return -EINVAL;
	}
	sw = switch_find(name);
	/* a VEPA or private relay is the switch's whole behaviour: never another's switch */
	if (sw && (network_owns_bridge(def) || network_by_switch(sw) ||
		   network_relay(def) != BR_RELAY_VEB)) {
		struct kv_network *other = network_by_switch(sw);

		if (other)
			snprintf(err, errlen, "bridge '%s' is in use by network '%s'", name,
				 other->def->name);
		else
			snprintf(err, errlen,
				 "a bridge named '%s' already exists (made with `kvnet bridge "
				 "add`); delete it or rename the network's bridge",
				 name);
		return -EEXIST;
	}
	n->sw_joined = sw != NULL;
	if (!sw) {
		bridge_config_default(&cfg);
		cfg.vlan_filtering = true;
		cfg.relay = network_relay(def);
		ret = switch_add(name, &cfg, &sw);
		if (ret) {
			snprintf(err, errlen, "cannot create bridge '%s': %s", name,
				 strerror(-ret));
			return ret;
		}
		/* a VEPA or private switch is an edge of the adjacent bridge: it runs no tree */
		ret = cfg.relay == BR_RELAY_VEB ? network_stp_start(sw, &def->bridge) : 0;
		if (ret) {
			snprintf(err, errlen, "cannot turn stp on for bridge '%s': %s", name,
				 strerror(-ret));
			switch_del(sw);
			return ret;
		}
		ret = network_host_add(n, sw, err, errlen);
		if (ret) {
			switch_del(sw);
			return ret;
		}
	}
	n->sw = sw;
	ret = net_services_start(n, err, errlen);
	if (ret) {
		if (!n->sw_joined)
			switch_del(sw);
		n->sw = NULL;
		return ret;
	}
	n->active = true;
	log_info("network %s started on bridge %s%s", def->name, name,
		 n->sw_joined ? " (joined)" : "");
	switch_event_network(SWITCH_EV_NET_STARTED, def->name, name);
	network_mirror(n);
	if (network_start_hook)
		network_start_hook(n); /* the VMs of a kvnetd that was restarted under them */
	net_uplink_sync(n);
	return 0;
}

int network_destroy(struct kv_network *n, char *err, size_t errlen)
{
	if (!n->active) {
		snprintf(err, errlen, "network '%s' is not active", n->def->name);
		return -EBUSY;
	}
	vm_port_del_network(n);
	net_services_stop(n);
	if (!n->sw_joined)
		switch_del(n->sw);
	n->sw = NULL;
	n->active = false;
	log_info("network %s destroyed", n->def->name);
	switch_event_network(SWITCH_EV_NET_STOPPED, n->def->name, NULL);
	if (n->newdef) {
		network_def_free(n->def);
		n->def = n->newdef;
		n->newdef = NULL;
	}
	network_keep_or_drop(n, n->persistent);
	return 0;
}

int network_set_autostart(struct kv_network *n, bool on, char *err, size_t errlen)
{
	int ret;

	if (!n->persistent) {
		snprintf(err, errlen, "network '%s' is transient: it cannot be autostarted",
			 n->def->name);
		return -EBUSY;
	}
	ret = net_store_set_autostart(n->def->name, on, err, errlen);
	if (!ret)
		n->autostart = on;
	return ret;
}

static void network_load_one(const char *name, const char *path, bool autostart, void *opaque)
{
	struct network_def *def;
	struct kv_network *n;
	char err[512];
	int ret;

	(void)opaque;
	ret = network_xml_parse_file(path, &def, err, sizeof(err));
	if (ret) {
		log_err("%s: cannot load: %s; skipped", path, err);
		return;
	}
	if (strcmp(def->name, name)) {
		log_err("%s: holds network '%s', not '%s' as its file name says; skipped", path,
			def->name, name);
		network_def_free(def);
		return;
	}
	ret = network_check_new_def(def, &n, err, sizeof(err));
	if (!ret && n)
		ret = -EEXIST;
	n = ret ? NULL : calloc(1, sizeof(*n));
	if (!n) {
		log_err("%s: cannot load: %s; skipped", path, ret ? err : "out of memory");
		network_def_free(def);
		return;
	}
	n->def = def;
	n->persistent = true;
	n->autostart = autostart;
	network_link(n);
	network_mirror(n);
}

void network_load_all(void)
{
	char err[512];
	int count = net_store_load(network_load_one, NULL, err, sizeof(err));

	if (count < 0) {
		log_err("%s", err);
		return;
	}
	for (struct kv_network *n = networks; n; n = n->next) {
		if (!n->autostart)
			continue;
		if (network_start(n, err, sizeof(err)))
			log_err("network %s: autostart failed: %s", n->def->name, err);
	}
	log_info("%d network definitions in the state dir", count);
}

void network_shutdown(void)
{
	char err[256];

	vm_port_shutdown_begin(); /* the VMs keep running: their ports come back with kvnetd */
	while (networks) {
		struct kv_network *n = networks;

		if (n->active) {
			n->persistent = true; /* so destroy does not free it under us */
			network_destroy(n, err, sizeof(err));
		}
		network_unlink(n);
		network_free(n);
	}
}

/* make the running network follow its changed live definition */
static int network_update_live_effects(struct kv_network *n, enum network_update_section section,
				       char *err, size_t errlen)
{
	switch (section) {
	case NETWORK_SECTION_IP_DHCP_HOST:
	case NETWORK_SECTION_DNS_HOST:
	case NETWORK_SECTION_DNS_TXT:
	case NETWORK_SECTION_DNS_SRV:
		/* hosts files are re-read on SIGHUP; TXT and SRV records are in the conf */
		return net_services_refresh(n,
					    section == NETWORK_SECTION_DNS_TXT ||
						    section == NETWORK_SECTION_DNS_SRV,
					    err, errlen);
	case NETWORK_SECTION_IP_DHCP_RANGE:
		return net_services_refresh(n, true, err, errlen);
	case NETWORK_SECTION_PORTGROUP:
		vm_port_reapply(n, n->def);
		net_uplink_sync(n);
		net_vlan_log_warnings(n->def);
		return 0;
	default:
		return 0;
	}
}

int network_update_def(struct kv_network *n, const struct network_update_req *u, char *err,
		       size_t errlen)
{
	struct network_def *live_new = NULL, *cfg_new = NULL, *old;
	bool live = u->live, config = u->config;
	int ret = 0;

	if (!live && !config) {
		/* virsh's --current: the running network, else its stored definition */
		live = n->active;
		config = !n->active;
	}
	if (live && !n->active) {
		snprintf(err, errlen,
			 "network '%s' is not active: change its persistent config "
			 "(--config)",
			 n->def->name);
		return -EBUSY;
	}
	if (config && !n->persistent) {
		snprintf(err, errlen, "network '%s' is transient: it has no persistent config",
			 n->def->name);
		return -EBUSY;
	}
	if (live && u->section == NETWORK_SECTION_FORWARD_INTERFACE) {
		snprintf(err, errlen,
			 "forward-interface cannot change while network '%s' runs; "
			 "change its persistent config (--config) and restart it",
			 n->def->name);
		return -EBUSY;
	}
	if (live)
		ret = network_update(n->def, u->cmd, u->section, u->parent_index, u->xml,
				     strlen(u->xml), &live_new, err, errlen);
	if (!ret && config)
		ret = network_update(n->active && n->newdef ? n->newdef : n->def, u->cmd,
				     u->section, u->parent_index, u->xml, strlen(u->xml), &cfg_new,
				     err, errlen);
	if (!ret && cfg_new)
		ret = network_save(cfg_new, err, errlen);
	if (ret)
		goto fail;
	if (live_new) {
		old = n->def;
		n->def = live_new;
		ret = network_update_live_effects(n, u->section, err, errlen);
		if (ret) {
			char e2[256];

			/* the old definition back, as it was running */
			n->def = old;
			if (network_update_live_effects(n, u->section, e2, sizeof(e2)))
				log_err("network %s: %s", n->def->name, e2);
			goto fail_saved;
		}
		/* the stored definition stays what it was, for the next start */
		if (n->persistent && !n->newdef)
			n->newdef = old;
		else
			network_def_free(old);
	}
	if (cfg_new && n->active) {
		network_def_free(n->newdef);
		n->newdef = cfg_new;
	} else if (cfg_new) {
		network_def_free(n->def);
		n->def = cfg_new;
	}
	log_info("network %s updated (%s%s%s)", n->def->name, live ? "live" : "",
		 live && config ? " and " : "", config ? "config" : "");
	network_mirror(n);
	return 0;

fail_saved:
	/* the stored file has the change but the running network refused it: put it back */
	if (cfg_new) {
		char e2[256];

		if (network_save(n->active && n->newdef ? n->newdef : n->def, e2, sizeof(e2)))
			log_err("network %s: %s", n->def->name, e2);
	}
fail:
	network_def_free(live_new);
	network_def_free(cfg_new);
	return ret;
}
