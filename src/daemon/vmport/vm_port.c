/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vm_port.c - VM ports: libvirt network ports and domain interfaces, each a switch port */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl/vocab.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_guard.h"
#include "daemon/vmport/vm_port.h"
#include "daemon/vmport/vm_port_record.h"
#include "daemon/vmport/vm_portsec.h"
#include "services/netlink.h"
#include "util/log.h"

struct kv_vm_port *vm_ports;
static bool vm_port_shutting_down;

struct kv_vm_port *vm_port_find(const struct kv_network *net, const char *key)
{
	unsigned char uuid[CONF_UUID_LEN];

	if (conf_uuid_parse(key, uuid))
		return NULL;
	for (struct kv_vm_port *vp = vm_ports; vp; vp = vp->next)
		if (vp->net == net && !memcmp(vp->def->uuid, uuid, CONF_UUID_LEN))
			return vp;
	return NULL;
}

struct kv_vm_port *vm_port_find_mac(const char *owner, const char *mac)
{
	for (struct kv_vm_port *vp = vm_ports; vp; vp = vp->next)
		if (!strcmp(vp->def->owner_name, owner) && !strcasecmp(vp->def->mac, mac))
			return vp;
	return NULL;
}

unsigned int vm_port_count(const struct kv_network *net)
{
	unsigned int n = 0;

	for (struct kv_vm_port *vp = vm_ports; vp; vp = vp->next)
		n += vp->net == net;
	return n;
}

int vm_port_owner_uuid(const char *owner, unsigned char uuid[CONF_UUID_LEN])
{
	/* a domain known only by its UUID (libvirt's ovs-vsctl gives vm-id, not the name) */
	if (!conf_uuid_parse(owner, uuid))
		return 0;
	for (struct kv_vm_port *vp = vm_ports; vp; vp = vp->next) {
		if (!strcmp(vp->def->owner_name, owner)) {
			memcpy(uuid, vp->def->owner_uuid, CONF_UUID_LEN);
			return 0;
		}
	}
	return conf_uuid_generate(uuid);
}

static const struct network_portgroup *vm_port_portgroup(const struct network_def *nd,
							 const char *name)
{
	for (size_t i = 0; i < nd->n_portgroups; i++) {
		const struct network_portgroup *pg = &nd->portgroups[i];

		if (name ? !strcmp(pg->name, name) : pg->is_default)
			return pg;
	}
	return NULL;
}

static int vm_port_copy_vlan(struct conf_vlan *to, const struct conf_vlan *from)
{
	struct conf_vlan_tag *tags = NULL;

	if (!from->present)
		return 0;
	if (from->n_tags) {
		tags = malloc(from->n_tags * sizeof(*tags));
		if (!tags)
			return -ENOMEM;
		memcpy(tags, from->tags, from->n_tags * sizeof(*tags));
	}
	*to = *from;
	to->tags = tags;
	return 0;
}

int vm_port_resolve(const struct network_def *nd, struct netport_def *def, const char **pg_out,
		    char *err, size_t errlen)
{
	const struct network_portgroup *pg = vm_port_portgroup(nd, def->group);

	if (def->group && !pg) {
		snprintf(err, errlen, "network '%s' has no portgroup '%s'", nd->name, def->group);
		return -ENOENT;
	}
	*pg_out = pg ? pg->name : NULL;
	/* libvirt's precedence: the port's own <bandwidth>, else its portgroup's */
	if (!def->bandwidth && pg && conf_bandwidth_dup(pg->bandwidth, &def->bandwidth))
		return -ENOMEM;
	if (!def->vlan.present) {
		const struct conf_vlan *v = pg && pg->vlan.present ? &pg->vlan : &nd->vlan;

		if (vm_port_copy_vlan(&def->vlan, v))
			return -ENOMEM;
	}
	if (def->isolated == CONF_TRI_ABSENT)
		def->isolated = nd->port_isolated;
	return 0;
}

/* @v as the core's spec; @tags has room for v->n_tags */
static void vm_port_spec(const struct conf_vlan *v, struct vlan_spec *spec,
			 struct vlan_spec_tag *tags)
{
	spec->trunk = v->trunk == CONF_TRI_YES;
	spec->n_tags = (uint16_t)v->n_tags;
	spec->tags = tags;
	for (size_t i = 0; i < v->n_tags; i++) {
		enum conf_native_mode m = v->tags[i].native_mode;

		tags[i].id = (uint16_t)v->tags[i].id;
		tags[i].native_mode = m == CONF_NATIVE_TAGGED	  ? VLAN_NATIVE_TAGGED
				      : m == CONF_NATIVE_UNTAGGED ? VLAN_NATIVE_UNTAGGED
								  : VLAN_NATIVE_NONE;
	}
}

void vm_port_apply_bandwidth(struct kv_port *p, const struct conf_bandwidth *bw, bool host)
{
	static const struct conf_rate none;
	const struct conf_rate *in = bw && bw->in.average ? &bw->in : &none;
	const struct conf_rate *out = bw && bw->out.average ? &bw->out : &none;

	/* a guest's inbound is what the switch sends it; the host port's is what it sends the
	 * switch: a network's inbound is the traffic into the network */
	if (host) {
		const struct conf_rate *t = in;

		in = out;
		out = t;
	}
	/* conf/ keeps rates within SHAPER_RATE_MAX: these cannot fail */
	switch_port_set_shaping(p, false, conf_rate_bytes(in->average), conf_rate_bytes(in->peak),
				conf_rate_burst_bytes(in));
	switch_port_set_shaping(p, true, conf_rate_bytes(out->average), conf_rate_bytes(out->peak),
				conf_rate_burst_bytes(out));
}

/*
 * macTableManager='libvirt', as libvirt runs it on a kernel bridge: the port learns nothing
 * and gets no unknown-unicast floods; the VM's own MAC is a static entry on it, in each VLAN
 * the port is a member of (a VLAN-filtering bridge's FDB is per VLAN). Entries of a VLAN
 * the port has left go first. Return: 0, or a negative errno with a message in @err
 */
static int vm_port_mac_table(struct kv_port *p, const struct netport_def *def, char *err,
			     size_t errlen)
{
	struct bridge *br = p->sw->br;
	const struct vlan_port *v = bridge_port_vlan(br, p->no);
	bool filtering = bridge_vlan_filtering(br);
	uint8_t mac[CTL_MAC_LEN];

	if (ctl_mac_parse(def->mac, mac)) {
		snprintf(err, errlen, "MAC '%s' is not valid", def->mac);
		return -EINVAL;
	}
	bridge_port_set_flags(br, p->no, 0, BR_PORT_LEARNING | BR_PORT_FLOOD);
	fdb_flush(bridge_fdb(br), p->no, FDB_FLUSH_ANY_VID, true);
	/* without VLAN filtering every frame is in VID 0 */
	for (uint16_t vid = filtering ? VLAN_VID_MIN : 0; vid <= (filtering ? VLAN_VID_MAX : 0);
	     vid++) {
		int ret;

		if (filtering && !vlan_is_member(v, vid))
			continue;
		ret = fdb_add_static(bridge_fdb(br), mac, vid, p->no, true, datapath_now());
		if (ret) {
			snprintf(err, errlen,
				 "port %s: cannot add the VM's MAC %s to the MAC table "
				 "(macTableManager='libvirt') in VLAN %u: %s",
				 p->name, def->mac, vid, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

/*
 * An access port (an untagged member of one VLAN only, on a VLAN-filtering bridge) takes
 * no tag from its VM: the access guard is on, so no double-tagged frame gets in; any other
 * port's VM may tag, and the guard is off. Once the admin has set the guard (port.set
 * access_guard), it stays as said.
 */
static void vm_port_access_guard(struct kv_port *p)
{
	struct bridge *br = p->sw->br;
	const struct vlan_port *v = bridge_port_vlan(br, p->no);
	bool access;

	if (!p->access_guard_auto)
		return;
	access = bridge_vlan_filtering(br) && v->n_members == 1 && v->pvid != VLAN_NO_PVID &&
		 vlan_is_untagged(v, v->pvid);

	bridge_port_set_flags(br, p->no, access ? BR_PORT_ACCESS_GUARD : 0,
			      access ? 0 : BR_PORT_ACCESS_GUARD);
}

int vm_port_apply(struct kv_port *p, const struct netport_def *def, unsigned int mtu, bool reset,
		  char *err, size_t errlen)
{
	/* no <vlan> anywhere: the port is what a new port is, an untagged member of VLAN 1 */
	struct conf_vlan_tag vlan1 = { .id = 1, .native_mode = CONF_NATIVE_NONE };
	const struct conf_vlan none = { .present = true, .tags = &vlan1, .n_tags = 1 };
	const struct conf_vlan *v = def->vlan.present ? &def->vlan : &none;
	struct bridge *br = p->sw->br;

	if (def->vlan.present || reset) {
		struct vlan_spec_tag *tags = calloc(v->n_tags + 1, sizeof(*tags));
		struct vlan_spec spec;
		int ret;

		if (!tags) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		vm_port_spec(v, &spec, tags);
		ret = bridge_vlan_apply_spec(br, p->no, &spec);
		free(tags);
		if (ret) {
			snprintf(err, errlen,
				 "the port's <vlan> cannot be applied (expected at least one tag, "
				 "and a nativeMode on at most one)");
			return -EINVAL;
		}
	}
	if (def->isolated == CONF_TRI_YES)
		bridge_port_set_flags(br, p->no, BR_PORT_ISOLATED, 0);
	else if (reset)
		bridge_port_set_flags(br, p->no, 0, BR_PORT_ISOLATED);
	if (mtu)
		bridge_port_set_mtu(br, p->no, mtu);
	vm_port_apply_bandwidth(p, def->bandwidth, false);
	vm_port_access_guard(p);
	if (vm_portsec_apply(p, def->filter, def->mac, err, errlen))
		return -EINVAL;
	if (def->plug_mac_table == CONF_MAC_TABLE_LIBVIRT)
		return vm_port_mac_table(p, def, err, errlen);
	return 0;
}

/*
 * The switch port of a VM port is going (switch_port_del()): drop the VM port, its record
 * in the run dir and the tap kvnet made for it, unless kvnetd is shutting down.
 */
static void vm_port_release(struct kv_port *p)
{
	struct kv_vm_port *vp = p->vm, **pp = &vm_ports;
	struct stat st;
	char err[256];

	while (*pp != vp)
		pp = &(*pp)->next;
	*pp = vp->next;
	p->vm = NULL;
	p->release = NULL;
	if (!vm_port_shutting_down) {
		vm_port_record_remove(p->name);
		/* QEMU's dgram socket, in the dir kvnet handed out: kept over a restart only */
		if (vp->peer_socket && !lstat(vp->peer_socket, &st) && S_ISSOCK(st.st_mode))
			unlink(vp->peer_socket);
		/* QEMU may still hold it: the link is deleted anyway, as libvirt does */
		if (vp->owns_tap && netlink_link_del(p->name, err, sizeof(err)))
			log_warn("port %s: %s", p->name, err);
	}
	netport_def_free(vp->def);
	free(vp->portgroup);
	free(vp->socket);
	free(vp->peer_socket);
	free(vp);
}

/* learned addresses a VM port may hold unless told otherwise */
#define VM_PORT_LEARN_LIMIT 256

int vm_port_add(struct netport_def *def, struct kv_network *net, const char *net_name,
		struct kv_port *p, enum iface_type type, const char *pg, bool own_vlan,
		struct kv_vm_port **out)
{
	struct kv_vm_port *vp = calloc(1, sizeof(*vp)), **tail;

	if (!vp || (pg && !(vp->portgroup = strdup(pg)))) {
		free(vp);
		netport_def_free(def);
		return -ENOMEM;
	}
	vp->def = def;
	vp->net = net;
	vp->port = p;
	vp->type = type;
	vp->own_vlan = own_vlan;
	p->vm = vp;
	p->release = vm_port_release;
	/* a VM is an edge port: it forwards as the guest boots (DHCP); a BPDU from a guest
	 * that bridges ends that */
	switch_port_stp_set_edge(p, STP_EDGE_ON);
	/*
	 * A guest is one station, or a few (containers, a nested bridge): a limit well
	 * above that keeps a guest flooding random source MACs from taking the bridge's
	 * table from its neighbours; at the limit its own oldest entries make room.
	 * port.set learn_limit changes it, 0 lifts it.
	 */
	bridge_port_set_learn_limit(p->sw->br, p->no, VM_PORT_LEARN_LIMIT);
	/* a VM is an end station: it may not take part in the tree, be a DHCP server or
	 * advertise itself as a router, unless the admin says so (docs/cli.md, port set) */
	bridge_port_set_flags(p->sw->br, p->no, BR_PORT_FLAGS_VM_GUARDS, 0);
	switch_port_set_root_guard(p, true);
	/* nor be a multicast router port: a query from a guest would get it every group */
	mdb_set_router(bridge_mdb(p->sw->br), p->no, MDB_ROUTER_OFF);
	/* one VM must not take the bridge's whole group table (mdb.h MDB_VM_MAX_GROUPS) */
	mdb_set_max_groups(bridge_mdb(p->sw->br), p->no, MDB_VM_MAX_GROUPS);
	p->access_guard_auto = true;
	vm_port_access_guard(p);
	for (tail = &vm_ports; *tail; tail = &(*tail)->next)
		;
	*tail = vp;
	log_info("port %s: VM port of domain %s, MAC %s%s%s", p->name, def->owner_name, def->mac,
		 net_name ? " on network " : "", net_name ? net_name : "");
	*out = vp;
	return 0;
}

void vm_port_shutdown_begin(void)
{
	vm_port_shutting_down = true;
}

void vm_port_del(struct kv_vm_port *vp)
{
	switch_port_del(vp->port); /* which releases @vp */
}

void vm_port_del_network(struct kv_network *net)
{
	struct kv_vm_port *vp = vm_ports, *next;

	for (; vp; vp = next) {
		next = vp->next;
		if (vp->net == net)
			vm_port_del(vp);
	}
}

void vm_port_reapply(const struct kv_network *net, const struct network_def *nd)
{
	char err[256];

	for (struct kv_vm_port *vp = vm_ports; vp; vp = vp->next) {
		const char *pg = NULL;

		if (vp->net != net || (vp->own_vlan && vp->own_bandwidth) ||
		    vp->type != IFACE_NETWORK)
			continue;
		/* what came from the portgroup or the network is looked up again */
		if (!vp->own_vlan) {
			free(vp->def->vlan.tags);
			memset(&vp->def->vlan, 0, sizeof(vp->def->vlan));
		}
		if (!vp->own_bandwidth) {
			conf_bandwidth_free(vp->def->bandwidth);
			vp->def->bandwidth = NULL;
		}
		if (vp->def->group && vm_port_resolve(nd, vp->def, &pg, err, sizeof(err))) {
			log_warn("port %s: %s; it takes the default portgroup's VLAN and "
				 "bandwidth, or the network's VLAN",
				 vp->port->name, err);
			free(vp->def->group);
			vp->def->group = NULL;
		}
		if (!vp->def->group && vm_port_resolve(nd, vp->def, &pg, err, sizeof(err)))
			continue;
		free(vp->portgroup);
		vp->portgroup = pg ? strdup(pg) : NULL;
		if (vm_port_apply(vp->port, vp->def, 0, true, err, sizeof(err)))
			log_warn("port %s: %s", vp->port->name, err);
	}
}
