/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_vm_port.c - net.port.create, net.port.list, net.port.dumpxml, net.port.delete,
 * domain.attach, domain.detach, domain.interfaces
 */

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/eth.h"
#include "ctl/vocab.h"
#include "daemon/rpc/ctl_portsec.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/net_uplink.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "daemon/vmport/vm_port.h"
#include "daemon/vmport/vm_port_backend.h"
#include "daemon/vmport/vm_port_record.h"
#include "services/netlink.h"
#include "util/log.h"

#define DOMAIN_NAME_MAX 255

/*
 * A port made again from its record after a restart (ctl_vm_port_restore()): its name, MAC and
 * UUID are the recorded ones, and its tap (QEMU's) may exist already.
 */
static struct {
	const char *name;
	const char *mac;
	const char *uuid;
} restoring;

/*
 * the lowest kvportN that is neither a port nor an interface here: not libvirt's vnetN, which
 * a tap libvirt makes later (kvnet-ovs-vsctl then adds it as a port) could take
 */
static int ctl_vm_port_ifname(char *buf, size_t len)
{
	for (int i = 0; i < 65536; i++) {
		snprintf(buf, len, "kvport%d", i);
		if (!switch_port_find(buf) && !if_nametoindex(buf))
			return 0;
	}
	return -1;
}

/* params "backend", "netns" and "connect" into @r, checked. Return: 0, or -1 after ctl_fail() */
static int ctl_vm_port_params(struct ctl_request *req, struct vm_port_req *r)
{
	const char *backend = "tap";
	char err[256];
	int ret;

	if (ctl_param_string(req, "backend", &backend) < 0 ||
	    ctl_param_netns(req, "netns", &r->netns) < 0 ||
	    ctl_param_string(req, "connect", &r->connect) < 0)
		return -1;
	ret = vm_port_backend_parse(backend, &r->backend, err, sizeof(err));
	if (!ret)
		ret = vm_port_req_check(r, err, sizeof(err));
	return ret ? ctl_fail_errno(req, ret, err) : 0;
}

/* Make VM port @def (taken) as @r says. Return: it, or NULL after ctl_fail() */
static struct kv_vm_port *ctl_vm_port_make(struct ctl_request *req, struct vm_port_req *r,
					   struct netport_def *def)
{
	struct kv_vm_port info = { 0 }, *vp;
	char name[IF_NAMESIZE], err[512];
	enum kv_port_type type;
	const char *pg = NULL;
	uint8_t mac[ETH_ALEN];
	struct kv_port *p;
	struct port *be;
	bool own_vlan, own_bw, qemu_tap;
	int ret;

	if (ctl_vm_port_params(req, r))
		goto fail;
	qemu_tap = r->backend == VM_BACKEND_TAP && !r->netns;
	own_vlan = def->vlan.present;
	own_bw = def->bandwidth != NULL;
	if (def->bandwidth && def->bandwidth->in.floor) {
		ctl_fail(req, CTL_ERR_PARAMS,
			 "<bandwidth><inbound floor='%lu'>: a guaranteed rate is not supported by "
			 "kvnet (its switch enforces average, peak and burst limits but reserves "
			 "nothing); remove the floor attribute",
			 def->bandwidth->in.floor);
		goto fail;
	}
	if (r->net) {
		ret = vm_port_resolve(r->net->def, def, &pg, err, sizeof(err));
		if (ret) {
			ctl_fail_errno(req, ret, err);
			goto fail;
		}
		/* a VEPA or private switch's uplink carries untagged frames only */
		if (def->vlan.present && bridge_relay(r->sw->br) != BR_RELAY_VEB) {
			ctl_fail(req, CTL_ERR_PARAMS,
				 "network '%s' has forward mode '%s', whose uplink carries "
				 "untagged frames only: the interface's <vlan> cannot be applied "
				 "(use a forward mode bridge network for VLANs)",
				 r->net->def->name,
				 conf_forward_mode_to_string(r->net->def->forward.mode));
			goto fail;
		}
	}
	def->plug = r->net && r->type == IFACE_NETWORK ? NETPORT_PLUG_NETWORK : NETPORT_PLUG_BRIDGE;
	if (r->net) /* as libvirt gives the plug its network's macTableManager */
		def->plug_mac_table = r->net->def->bridge.mac_table_manager;
	free(def->plug_bridge);
	def->plug_bridge = strdup(r->sw->name);
	if (!def->plug_bridge) {
		ctl_fail(req, CTL_ERR_SYSTEM, "out of memory");
		goto fail;
	}
	if (ctl_mac_parse(def->mac, mac)) {
		ctl_fail(req, CTL_ERR_PARAMS, "MAC '%s' is not valid", def->mac);
		goto fail;
	}
	if (vm_port_find_mac(def->owner_name, def->mac)) {
		ctl_fail(req, CTL_ERR_EXISTS, "domain '%s' already has an interface with MAC %s",
			 def->owner_name, def->mac);
		goto fail;
	}
	if (r->ifname) {
		if (!ctl_name_valid(r->ifname)) {
			ctl_fail(req, CTL_ERR_PARAMS,
				 "interface name '%.64s' is not valid (expected 1 to 15 of A-Z "
				 "a-z 0-9 _ . -)",
				 r->ifname);
			goto fail;
		}
		if (switch_port_find(r->ifname)) {
			ctl_fail(req, CTL_ERR_EXISTS, "port '%s' already exists", r->ifname);
			goto fail;
		}
		snprintf(name, sizeof(name), "%s", r->ifname);
	} else if (ctl_vm_port_ifname(name, sizeof(name))) {
		ctl_fail(req, CTL_ERR_FULL, "no free interface name vnet0..vnet65535");
		goto fail;
	}

	/* only this thread changes switches, so r->sw stays valid while unlocked */
	datapath_unlock();
	ret = vm_port_backend_open(r, name, mac, !!restoring.name, &type, &info, &be, err,
				   sizeof(err));
	datapath_lock();
	if (ret) {
		ctl_fail_errno(req, ret, err);
		goto fail_info;
	}
	ret = switch_port_add(r->sw, name, be, type, r->netns, &p, err, sizeof(err));
	if (ret) {
		be->ops->destroy(be);
		ctl_fail_errno(req, ret, err);
		goto fail_port;
	}
	ret = vm_port_apply(p, def, r->mtu, false, err, sizeof(err));
	if (ret) {
		switch_port_del(p);
		ctl_fail_errno(req, ret, err);
		goto fail_port;
	}
	ret = vm_port_add(def, r->net, r->net ? r->net->def->name : NULL, p, r->type, pg, own_vlan,
			  &vp);
	if (ret) {
		def = NULL; /* vm_port_add() freed it */
		switch_port_del(p);
		ctl_fail_errno(req, ret, "out of memory");
		goto fail_port;
	}
	vp->own_bandwidth = own_bw;
	/* a VM that leased before kvnetd (re)made its port keeps its address */
	if (r->net)
		ctl_portsec_seed(p, r->net->def->name);
	vp->backend = ctl_vocab_name(&ctl_vm_backends, (int)r->backend);
	vp->socket = info.socket;
	vp->peer_socket = info.peer_socket;
	vp->listen = info.listen;
	vp->owns_tap = qemu_tap;
	if (r->net) /* its VLANs on the network's uplinks, before its first frame */
		net_uplink_sync(r->net);
	return vp;
fail_port:
	/* a tap made for QEMU outlives its back-end: delete it, unless it was there before */
	if (qemu_tap && !restoring.name)
		netlink_link_del(name, err, sizeof(err));
fail_info:
	free(info.socket);
	free(info.peer_socket);
fail:
	netport_def_free(def);
	return NULL;
}

/* the active network named by param "network", or NULL after ctl_fail() */
/* VM port @vp gone, and its VLANs from its network's uplinks when no other port uses them */
static void ctl_vm_port_del(struct kv_vm_port *vp)
{
	struct kv_network *net = vp->net;

	vm_port_del(vp);
	if (net)
		net_uplink_sync(net);
}

static struct kv_network *ctl_vm_port_network(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");

	if (n && !n->active) {
		ctl_fail(req, CTL_ERR_STATE, "network '%s' is not active", n->def->name);
		return NULL;
	}
	return n;
}

/* what QEMU needs to reach @vp, added to @o: its back-end, sockets and whether it is there */
static json_t *ctl_vm_port_backend_json(json_t *o, const struct kv_vm_port *vp)
{
	json_object_set_new(o, "backend", json_string(vp->backend));
	if (vp->socket)
		json_object_set_new(o, "socket", json_string(vp->socket));
	if (vp->peer_socket)
		json_object_set_new(o, "peer_socket", json_string(vp->peer_socket));
	if (ctl_vocab_value(&ctl_vm_backends, vp->backend) == CTL_VM_BACKEND_STREAM ||
	    ctl_vocab_value(&ctl_vm_backends, vp->backend) == CTL_VM_BACKEND_VHOST_USER)
		json_object_set_new(o, "listen", json_boolean(vp->listen));
	json_object_set_new(o, "model", json_string(ctl_vocab_name(&ctl_nic_models, vp->model)));
	json_object_set_new(o, "link", json_string(vp->port->link_up ? "up" : "down"));
	json_object_set_new(o, "domain", json_string(vp->def->owner_name));
	return o;
}

static void ctl_vm_port_result(struct ctl_request *req, const struct kv_vm_port *vp)
{
	char uuid[CONF_UUID_STRLEN];

	conf_uuid_format(vp->def->uuid, uuid);
	req->result = ctl_vm_port_backend_json(json_pack("{s:s,s:s,s:s,s:s?,s:s}", "uuid", uuid,
							 "name", vp->port->name, "mac",
							 vp->def->mac, "network",
							 vp->net ? vp->net->def->name : NULL,
							 "bridge", vp->port->sw->name),
					       vp);
}

/* the recorded identity of a port being made again, over what its request says */
static int ctl_vm_port_restoring(unsigned char uuid[CONF_UUID_LEN], char mac[CONF_MAC_STRLEN])
{
	if (!restoring.name)
		return 0;
	if (!restoring.mac || strlen(restoring.mac) >= CONF_MAC_STRLEN || !restoring.uuid ||
	    conf_uuid_parse(restoring.uuid, uuid))
		return -EINVAL;
	snprintf(mac, CONF_MAC_STRLEN, "%s", restoring.mac);
	return 0;
}

/* write down how @vp was made, so a restarted kvnetd makes it again (vm_port_record.h) */
static void ctl_vm_port_record(struct ctl_request *req, const char *method,
			       const struct kv_vm_port *vp)
{
	char uuid[CONF_UUID_STRLEN];
	json_t *rec;

	if (!vp->net) /* a switch without a network is not made again either */
		return;
	conf_uuid_format(vp->def->uuid, uuid);
	rec = json_pack("{s:s,s:s,s:O,s:s,s:s,s:s}", "method", method, "network",
			vp->net->def->name, "params", req->params, "name", vp->port->name, "mac",
			vp->def->mac, "uuid", uuid);
	if (rec)
		vm_port_record_save(vp->port->name, rec);
	json_decref(rec);
}

static int ctl_net_port_create(struct ctl_request *req)
{
	struct kv_network *n = ctl_vm_port_network(req);
	struct vm_port_req r = { 0 };
	struct netport_def *def;
	const char *xml;
	struct kv_vm_port *vp;
	char err[512], uuid[CONF_UUID_STRLEN];
	int ret;

	if (!n || ctl_param_string_req(req, "xml", &xml) < 0 ||
	    ctl_param_name(req, "name", &r.ifname) < 0)
		return -1;
	ret = netport_xml_parse(xml, strlen(xml), &def, err, sizeof(err));
	if (ret)
		return ctl_fail_errno(req, ret, err);
	if (restoring.name) {
		r.ifname = restoring.name;
		def->uuid_given = true;
		if (ctl_vm_port_restoring(def->uuid, def->mac)) {
			netport_def_free(def);
			return ctl_fail(req, CTL_ERR_PARAMS,
					"the record's MAC or UUID is not valid");
		}
	}
	if (def->uuid_given) {
		conf_uuid_format(def->uuid, uuid);
		if (vm_port_find(n, uuid)) {
			netport_def_free(def);
			return ctl_fail(req, CTL_ERR_EXISTS, "network '%s' already has port %s",
					n->def->name, uuid);
		}
	}
	r.sw = n->sw;
	r.net = n;
	r.type = IFACE_NETWORK;
	r.mtu = n->def->mtu;
	vp = ctl_vm_port_make(req, &r, def);
	if (!vp)
		return -1;
	ctl_vm_port_record(req, "net.port.create", vp);
	ctl_vm_port_result(req, vp);
	return 0;
}

/* the port of the network named by "network" whose UUID is param "port" */
static struct kv_vm_port *ctl_net_port_find(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");
	struct kv_vm_port *vp;
	const char *key;

	if (!n || ctl_param_string_req(req, "port", &key) < 0)
		return NULL;
	vp = vm_port_find(n, key);
	if (!vp)
		ctl_fail(req, CTL_ERR_NOT_FOUND, "network '%s' has no port '%.64s'", n->def->name,
			 key);
	return vp;
}

static int ctl_net_port_list(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");
	char uuid[CONF_UUID_STRLEN], owner[CONF_UUID_STRLEN];
	json_t *list;

	if (!n)
		return -1;
	list = json_array();
	for (struct kv_vm_port *vp = vm_ports; vp; vp = vp->next) {
		if (vp->net != n)
			continue;
		conf_uuid_format(vp->def->uuid, uuid);
		conf_uuid_format(vp->def->owner_uuid, owner);
		json_array_append_new(list,
				      json_pack("{s:s,s:s,s:s,s:s,s:s?,s:s}", "uuid", uuid, "name",
						vp->port->name, "owner", vp->def->owner_name, "mac",
						vp->def->mac, "group", vp->portgroup, "domain_uuid",
						owner));
	}
	req->result = json_pack("{s:o}", "ports", list);
	return 0;
}

static int ctl_net_port_dumpxml(struct ctl_request *req)
{
	struct kv_vm_port *vp = ctl_net_port_find(req);
	char *xml;

	if (!vp)
		return -1;
	if (netport_xml_format(vp->def, &xml))
		return ctl_fail(req, CTL_ERR_SYSTEM, "out of memory");
	req->result = json_pack("{s:s}", "xml", xml);
	free(xml);
	return 0;
}

static int ctl_net_port_delete(struct ctl_request *req)
{
	struct kv_vm_port *vp = ctl_net_port_find(req);

	if (!vp)
		return -1;
	ctl_vm_port_del(vp);
	return 0;
}

/*
 * param "domain": 1..255 characters, none of them control characters. Return: 1 if given (and
 * stored in *out), 0 if absent and not @required, -1 after ctl_fail()
 */
static int ctl_param_domain_opt(struct ctl_request *req, bool required, const char **out)
{
	const char *s = NULL;
	size_t len;
	int r;

	r = required ? ctl_param_string_req(req, "domain", &s)
		     : ctl_param_string(req, "domain", &s);
	if (r <= 0)
		return r;
	len = strlen(s);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			len = 0;
	if (!len || len > DOMAIN_NAME_MAX)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"domain name must be 1 to %d characters, none of them control "
				"characters",
				DOMAIN_NAME_MAX);
	*out = s;
	return 1;
}

/* the required param "domain" (ctl_param_domain_opt()). Return: 0, or -1 after ctl_fail() */
static int ctl_param_domain(struct ctl_request *req, const char **out)
{
	return ctl_param_domain_opt(req, true, out) < 0 ? -1 : 0;
}

/* a network port for domain @domain from interface @ifc (whose kept parts it takes) */
static struct netport_def *ctl_vm_port_from_iface(const char *domain, struct iface_def *ifc)
{
	struct netport_def *def = calloc(1, sizeof(*def));

	if (!def)
		return NULL;
	def->owner_name = strdup(domain);
	if (!def->owner_name || conf_uuid_generate(def->uuid) ||
	    vm_port_owner_uuid(domain, def->owner_uuid) ||
	    (ifc->portgroup && !(def->group = strdup(ifc->portgroup))) ||
	    (!ifc->mac[0] && conf_mac_generate(ifc->mac))) {
		netport_def_free(def);
		return NULL;
	}
	memcpy(def->mac, ifc->mac, sizeof(def->mac));
	def->vlan = ifc->vlan;
	ifc->vlan.tags = NULL;
	ifc->vlan.n_tags = 0;
	def->isolated = ifc->isolated;
	def->bandwidth = ifc->bandwidth;
	ifc->bandwidth = NULL;
	def->virtualport = ifc->virtualport;
	ifc->virtualport = NULL;
	def->filter = ifc->filter;
	ifc->filter = NULL;
	return def;
}

static int ctl_domain_attach(struct ctl_request *req)
{
	unsigned char uuid[CONF_UUID_LEN];
	struct vm_port_req r = { 0 };
	const char *domain = NULL, *xml = NULL, *backend = NULL;
	struct netport_def *def;
	struct iface_def *ifc;
	struct kv_vm_port *vp;
	char err[512];
	int ret, model;

	if (ctl_param_domain(req, &domain) || ctl_param_string_req(req, "xml", &xml) < 0)
		return -1;
	ret = iface_xml_parse(xml, strlen(xml), &ifc, err, sizeof(err));
	if (ret)
		return ctl_fail_errno(req, ret, err);
	/* a model QEMU would be told to emulate must be one kvnet prints the device of */
	model = ifc->model ? ctl_vocab_value(&ctl_nic_models, ifc->model) : CTL_NIC_VIRTIO;
	if (model < 0) {
		ret = ctl_fail(req, CTL_ERR_PARAMS,
			       "<model type='%.32s'> is not a NIC kvnet knows (expected %s)",
			       ifc->model, CTL_WORDS_OR(CTL_NIC_MODEL_LIST));
		goto out;
	}
	/* vhost-user is a virtio device's back-end: QEMU emulates no other NIC on it */
	if (model != CTL_NIC_VIRTIO && ctl_param_string(req, "backend", &backend) > 0 &&
	    ctl_vocab_value(&ctl_vm_backends, backend) == CTL_VM_BACKEND_VHOST_USER) {
		ret = ctl_fail(req, CTL_ERR_PARAMS,
			       "<model type='%.32s'> cannot be a vhost-user port's NIC (expected "
			       "virtio)",
			       ifc->model);
		goto out;
	}
	r.type = ifc->type;
	if (ifc->type == IFACE_NETWORK) {
		r.net = network_find(ifc->source);
		if (!r.net) {
			ret = ctl_fail(req, CTL_ERR_NOT_FOUND, "network '%.200s' does not exist",
				       ifc->source);
			goto out;
		}
		if (!r.net->active) {
			ret = ctl_fail(req, CTL_ERR_STATE, "network '%s' is not active",
				       r.net->def->name);
			goto out;
		}
		r.sw = r.net->sw;
	} else {
		r.sw = switch_find(ifc->source);
		if (!r.sw) {
			ret = ctl_fail(req, CTL_ERR_NOT_FOUND, "bridge '%.64s' does not exist",
				       ifc->source);
			goto out;
		}
		/* type='bridge' plugs into the switch as it is: no portgroup, no network VLAN */
		r.net = NULL;
	}
	r.mtu = ifc->mtu ? ifc->mtu : r.net ? r.net->def->mtu : 0;
	r.ifname = restoring.name ? restoring.name : ifc->target_dev;
	if (ctl_vm_port_restoring(uuid, ifc->mac)) {
		ret = ctl_fail(req, CTL_ERR_PARAMS, "the record's MAC or UUID is not valid");
		goto out;
	}
	def = ctl_vm_port_from_iface(domain, ifc);
	if (!def) {
		ret = ctl_fail(req, CTL_ERR_SYSTEM, "out of memory");
		goto out;
	}
	if (restoring.name)
		memcpy(def->uuid, uuid, sizeof(def->uuid));
	vp = ctl_vm_port_make(req, &r, def);
	ret = vp ? 0 : -1;
	if (vp) {
		vp->model = model;
		ctl_vm_port_record(req, "domain.attach", vp);
		ctl_vm_port_result(req, vp);
	}
out:
	iface_def_free(ifc);
	return ret;
}

static int ctl_domain_detach(struct ctl_request *req)
{
	const char *domain = NULL, *mac_s;
	uint8_t mac[ETH_ALEN];
	struct kv_vm_port *vp;
	char buf[CONF_MAC_STRLEN];

	if (ctl_param_domain(req, &domain) || ctl_param_mac_req(req, "mac", mac) < 0)
		return -1;
	mac_s = ctl_mac_format(mac, buf);
	vp = vm_port_find_mac(domain, mac_s);
	if (!vp)
		return ctl_fail(req, CTL_ERR_NOT_FOUND,
				"domain '%.200s' has no interface with MAC %s", domain, mac_s);
	ctl_vm_port_del(vp);
	return 0;
}

static json_t *ctl_domain_iface_json(const struct kv_vm_port *vp)
{
	const struct kv_port *p = vp->port;
	json_t *vlan = ctl_vlan_json(p);
	char uuid[CONF_UUID_STRLEN];
	json_t *o;

	conf_uuid_format(vp->def->uuid, uuid);
	o = json_pack("{s:s,s:s,s:s,s:s?,s:s?,s:s,s:s,s:s,s:O,s:O}", "name", p->name, "mac",
		      vp->def->mac, "type", vp->type == IFACE_NETWORK ? "network" : "bridge",
		      "network", vp->net ? vp->net->def->name : NULL, "portgroup", vp->portgroup,
		      "bridge", p->sw->name, "uuid", uuid, "state",
		      bridge_port_state_name(p->link_up ? p->admin_state : BR_STATE_DISABLED),
		      "pvid", json_object_get(vlan, "pvid"), "vlans",
		      json_object_get(vlan, "vlans"));
	json_decref(vlan);
	return ctl_vm_port_backend_json(o, vp);
}

/*
 * A domain's interfaces, or the interface on one port whichever domain it belongs to (a client
 * that knows only the port's name, as ovs-vsctl del-port IF does, finds its domain and MAC so)
 */
static int ctl_domain_interfaces(struct ctl_request *req)
{
	const char *domain = NULL, *port = NULL;
	int has_domain, has_port;
	json_t *list;

	has_domain = ctl_param_domain_opt(req, false, &domain);
	if (has_domain < 0)
		return -1;
	has_port = ctl_param_name(req, "port", &port);
	if (has_port < 0)
		return -1;
	if (!has_domain && !has_port)
		return ctl_fail(req, CTL_ERR_PARAMS, "domain or port is required");
	list = json_array();
	for (struct kv_vm_port *vp = vm_ports; vp; vp = vp->next)
		if ((!domain || !strcmp(vp->def->owner_name, domain)) &&
		    (!port || !strcmp(vp->port->name, port)))
			json_array_append_new(list, ctl_domain_iface_json(vp));
	req->result = json_pack("{s:o}", "interfaces", list);
	return 0;
}

static void ctl_vm_port_restore_one(const char *name, json_t *rec, void *opaque)
{
	struct ctl_request req = { .params = json_object_get(rec, "params") };
	const char *method = json_string_value(json_object_get(rec, "method"));
	struct kv_network *net = opaque;
	int ret;

	if (switch_port_find(name))
		return;
	restoring.name = name;
	restoring.mac = json_string_value(json_object_get(rec, "mac"));
	restoring.uuid = json_string_value(json_object_get(rec, "uuid"));
	if (!strcmp(method, "domain.attach"))
		ret = ctl_domain_attach(&req);
	else if (!strcmp(method, "net.port.create"))
		ret = ctl_net_port_create(&req);
	else
		ret = ctl_fail(&req, CTL_ERR_PARAMS, "method '%.32s' is not one that makes ports",
			       method);
	memset(&restoring, 0, sizeof(restoring));
	if (ret) {
		log_warn("port %s of network %s cannot be made again: %s", name, net->def->name,
			 req.err_msg);
		vm_port_record_remove(name);
	} else {
		log_info("port %s of network %s made again from its record", name, net->def->name);
	}
	json_decref(req.result);
}

void ctl_vm_port_restore(struct kv_network *net)
{
	vm_port_record_each(net->def->name, ctl_vm_port_restore_one, net);
}

static const char *const create_params[] = { "network", "xml",	   "backend", "name",
					     "netns",	"connect", NULL };
static const char *const net_params[] = { "network", NULL };
static const char *const port_params[] = { "network", "port", NULL };
static const char *const attach_params[] = { "domain", "xml", "backend", "netns", "connect", NULL };
static const char *const detach_params[] = { "domain", "mac", NULL };
static const char *const interfaces_params[] = { "domain", "port", NULL };

const struct ctl_method ctl_vm_port_methods[] = {
	{ "net.port.create", create_params, ctl_net_port_create },
	{ "net.port.list", net_params, ctl_net_port_list },
	{ "net.port.dumpxml", port_params, ctl_net_port_dumpxml },
	{ "net.port.delete", port_params, ctl_net_port_delete },
	{ "domain.attach", attach_params, ctl_domain_attach },
	{ "domain.detach", detach_params, ctl_domain_detach },
	{ "domain.interfaces", interfaces_params, ctl_domain_interfaces },
	{ NULL, NULL, NULL },
};
