/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_network.c - net.define, net.create, net.undefine, net.start, net.destroy,
 * net.autostart, net.list, net.info, net.dumpxml
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_xml.h"
#include "core/eth.h"
#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/switch/datapath.h"
#include "daemon/network/net_overlay.h"
#include "daemon/network/net_services.h"
#include "daemon/network/net_vlan.h"
#include "daemon/network/network.h"
#include "daemon/switch/switch.h"
#include "daemon/vmport/vm_port.h"
#include "services/dnsmasq_leases.h"
#include "services/libvirt.h"
#include "util/file.h"

/* Parse param "xml" as a <network>; without the lock, as a big document takes a while */
static struct network_def *ctl_network_parse(struct ctl_request *req)
{
	struct network_def *def;
	const char *xml;
	char err[512];
	int ret;

	if (ctl_param_string_req(req, "xml", &xml) < 0)
		return NULL;
	datapath_unlock();
	ret = network_xml_parse(xml, strlen(xml), &def, err, sizeof(err));
	datapath_lock();
	if (ret) {
		ctl_fail_errno(req, ret, ret == -ENOMEM ? "out of memory" : err);
		return NULL;
	}
	return def;
}

static json_t *ctl_network_json(const struct kv_network *n)
{
	char uuid[CONF_UUID_STRLEN];
	const char *bridge = n->active ? n->sw->name : n->def->bridge.name;

	conf_uuid_format(n->def->uuid, uuid);
	return json_pack("{s:s,s:s,s:b,s:b,s:b,s:s?,s:I}", "name", n->def->name, "uuid", uuid,
			 "active", n->active, "autostart", n->autostart, "persistent",
			 n->persistent, "bridge", bridge, "ports", (json_int_t)vm_port_count(n));
}

static json_t *ctl_network_dnsmasq_json(const struct dnsmasq_proc *d)
{
	return json_pack("{s:s,s:o,s:i,s:s?}", "state", dnsmasq_state_name(d->state), "pid",
			 d->state == DNSMASQ_RUNNING ? json_integer(d->pid) : json_null(),
			 "restarts", (int)d->restarts, "error", d->error[0] ? d->error : NULL);
}

/* how the network stands with libvirt: {"state": "mirrored", "reason": null} */
static json_t *ctl_network_libvirt_json(const struct kv_network *n)
{
	const char *reason;
	enum libvirt_state st = libvirt_net_state(n->def->name, &reason);

	return json_pack("{s:s,s:s?}", "state", libvirt_state_name(st), "reason",
			 reason[0] ? reason : NULL);
}

static void ctl_network_result(struct ctl_request *req, const struct kv_network *n, bool created)
{
	char uuid[CONF_UUID_STRLEN];

	conf_uuid_format(n->def->uuid, uuid);
	req->result = json_pack("{s:s,s:s,s:b}", "name", n->def->name, "uuid", uuid, "new",
				created);
}

/* a network runs without what failed to come up on its own (dnsmasq): say so in the answer */
static void ctl_network_warning(struct ctl_request *req, const struct kv_network *n)
{
	char msg[512];

	if (!n->svc || n->svc->dnsmasq.state != DNSMASQ_FAILED)
		return;
	snprintf(msg, sizeof(msg), "network '%.64s' runs without DHCP and DNS: %s", n->def->name,
		 n->svc->dnsmasq.error);
	if (!req->result)
		req->result = json_object();
	json_object_set_new(req->result, "warning", json_string(msg));
}

static int ctl_network_define(struct ctl_request *req)
{
	struct network_def *def = ctl_network_parse(req);
	struct kv_network *n;
	bool created;
	char err[512];
	int ret;

	if (!def)
		return -1;
	ret = network_define(def, &n, &created, err, sizeof(err));
	if (ret) {
		network_def_free(def);
		return ctl_fail_errno(req, ret, err);
	}
	ctl_network_result(req, n, created);
	return 0;
}

static int ctl_network_create(struct ctl_request *req)
{
	struct network_def *def = ctl_network_parse(req);
	struct kv_network *n;
	char err[512];
	int ret;

	if (!def)
		return -1;
	ret = network_create(def, &n, err, sizeof(err));
	if (ret) {
		network_def_free(def);
		return ctl_fail_errno(req, ret, err);
	}
	ctl_network_result(req, n, true);
	ctl_network_warning(req, n);
	return 0;
}

/* the network named by param "network", then @fn on it with a message buffer */
static int ctl_network_do(struct ctl_request *req,
			  int (*fn)(struct kv_network *n, char *err, size_t errlen))
{
	struct kv_network *n = ctl_find_network(req, "network");
	char err[512];
	int ret;

	if (!n)
		return -1;
	ret = fn(n, err, sizeof(err));
	return ret ? ctl_fail_errno(req, ret, err) : 0;
}

static int ctl_network_undefine(struct ctl_request *req)
{
	return ctl_network_do(req, network_undefine);
}

static int ctl_network_start(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");
	char err[512];
	int ret;

	if (!n)
		return -1;
	ret = network_start(n, err, sizeof(err));
	if (ret)
		return ctl_fail_errno(req, ret, err);
	ctl_network_warning(req, n);
	return 0;
}

static int ctl_network_destroy(struct ctl_request *req)
{
	return ctl_network_do(req, network_destroy);
}

static int ctl_network_autostart(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");
	bool on = true;
	char err[512];
	int ret;

	if (!n || ctl_param_bool(req, "enable", &on) < 0)
		return -1;
	ret = network_set_autostart(n, on, err, sizeof(err));
	return ret ? ctl_fail_errno(req, ret, err) : 0;
}

static int ctl_network_list(struct ctl_request *req)
{
	json_t *list = json_array();

	for (struct kv_network *n = networks; n; n = n->next)
		json_array_append_new(list, ctl_network_json(n));
	req->result = json_pack("{s:o}", "networks", list);
	return 0;
}

/* a bridge-mode network's uplinks: [{"name", "state": "active"|"backup"|"down"}] */
static json_t *ctl_network_uplinks_json(const struct kv_network *n)
{
	json_t *list = json_array();

	for (size_t i = 0; i < n->svc->uplink.n_ports; i++)
		json_array_append_new(list,
				      json_pack("{s:s,s:s}", "name", n->svc->uplink.ports[i]->name,
						"state",
						net_uplink_state_name(net_uplink_state(n, i))));
	return list;
}

static void ctl_network_add_warning(const char *msg, void *opaque)
{
	json_array_append_new(opaque, json_string(msg));
}

static int ctl_network_info(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");
	json_t *warnings;

	if (!n)
		return -1;
	req->result = ctl_network_json(n);
	if (n->active && n->svc)
		json_object_set_new(req->result, "dnsmasq",
				    ctl_network_dnsmasq_json(&n->svc->dnsmasq));
	if (n->active && n->svc && n->svc->uplink.n_ports)
		json_object_set_new(req->result, "uplinks", ctl_network_uplinks_json(n));
	json_object_set_new(req->result, "libvirt", ctl_network_libvirt_json(n));
	warnings = json_array();
	net_vlan_warnings(n->def, ctl_network_add_warning, warnings);
	net_overlay_warnings(n->def, ctl_network_add_warning, warnings);
	json_object_set_new(req->result, "warnings", warnings);
	return 0;
}

/* a lease's prefix, as virsh shows it: that of the <ip> of its family with DHCP (a network
 * has at most one per family), else of the first <ip> of its family */
static int ctl_network_lease_prefix(const struct network_def *def, const struct dnsmasq_lease *l)
{
	int family = l->ipv6 ? AF_INET6 : AF_INET;
	const struct network_ip *first = NULL;

	for (size_t i = 0; i < def->n_ips; i++) {
		const struct network_ip *ip = &def->ips[i];

		if (ip->address.family != family)
			continue;
		if (ip->has_dhcp)
			return network_ip_prefix(ip);
		if (!first)
			first = ip;
	}
	return first ? network_ip_prefix(first) : family == AF_INET ? 24 : 64;
}

/* a lease file is a line per lease: far below this even for a /16 handed out whole */
#define CTL_LEASES_FILE_MAX (64u << 20)

/* the lease file's contents, "" when there is none yet. Return: 0 or a negative errno */
static int ctl_network_read_leases(const char *path, char **text)
{
	int ret = file_read(path, CTL_LEASES_FILE_MAX, text, NULL);

	if (ret != -ENOENT)
		return ret;
	*text = strdup("");
	return *text ? 0 : -ENOMEM;
}

static int ctl_network_dhcp_leases(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");
	char path[4096], mac_s[CONF_MAC_STRLEN];
	struct dnsmasq_lease *leases;
	uint8_t mac[ETH_ALEN];
	char *text, err[4200];
	json_t *list;
	int has_mac, count, ret;

	if (!n)
		return -1;
	has_mac = ctl_param_mac(req, "mac", mac);
	if (has_mac < 0)
		return -1;
	if (has_mac)
		ctl_mac_format(mac, mac_s);
	net_services_leases_path(n->def->name, path, sizeof(path));
	ret = ctl_network_read_leases(path, &text);
	if (ret) {
		snprintf(err, sizeof(err), "cannot read leases file %s: %s", path, strerror(-ret));
		return ctl_fail_errno(req, ret, err);
	}
	count = dnsmasq_leases_parse(text, &leases);
	free(text);
	if (count < 0)
		return ctl_fail(req, CTL_ERR_SYSTEM, "out of memory");
	list = json_array();
	for (int i = 0; i < count; i++) {
		const struct dnsmasq_lease *l = &leases[i];

		if (has_mac && strcasecmp(l->mac, mac_s))
			continue;
		json_array_append_new(
			list, json_pack("{s:I,s:s?,s:s,s:s,s:i,s:s?,s:s?}", "expiry",
					(json_int_t)l->expiry, "mac", l->mac[0] ? l->mac : NULL,
					"protocol", l->ipv6 ? "ipv6" : "ipv4", "address",
					l->address, "prefix", ctl_network_lease_prefix(n->def, l),
					"hostname", l->hostname[0] ? l->hostname : NULL,
					"client_id", l->client_id[0] ? l->client_id : NULL));
	}
	free(leases);
	req->result = json_pack("{s:o}", "leases", list);
	return 0;
}

static int ctl_network_dumpxml(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");
	const struct network_def *def;
	bool inactive = false;
	char *xml;

	if (!n || ctl_param_bool(req, "inactive", &inactive) < 0)
		return -1;
	def = inactive && n->newdef ? n->newdef : n->def;
	if (network_xml_format(def, inactive ? NETWORK_XML_INACTIVE : 0, &xml))
		return ctl_fail(req, CTL_ERR_SYSTEM, "out of memory");
	req->result = json_pack("{s:s}", "xml", xml);
	free(xml);
	return 0;
}

static int ctl_network_update(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");
	struct network_update_req u = { .parent_index = -1 };
	const char *cmd = NULL, *section = NULL;
	uint64_t parent;
	char err[512];
	int r, ret;

	if (!n || ctl_param_string_req(req, "command", &cmd) < 0 ||
	    ctl_param_string_req(req, "section", &section) < 0 ||
	    ctl_param_string_req(req, "xml", &u.xml) < 0 ||
	    ctl_param_bool(req, "live", &u.live) < 0 ||
	    ctl_param_bool(req, "config", &u.config) < 0)
		return -1;
	r = ctl_param_uint(req, "parent_index", 0, CTL_NET_UPDATE_PARENT_INDEX_MAX, &parent);
	if (r < 0)
		return -1;
	if (r)
		u.parent_index = (int)parent;
	ret = ctl_vocab_value(&ctl_net_update_cmds, cmd);
	if (ret < 0)
		return ctl_fail(req, CTL_ERR_PARAMS, "command '%.32s' is not known (expected %s)",
				cmd, CTL_WORDS_COMMA(CTL_NET_UPDATE_CMD_LIST));
	u.cmd = (enum network_update_cmd)ret;
	ret = ctl_vocab_value(&ctl_net_update_sections, section);
	if (ret < 0)
		return ctl_fail(req, CTL_ERR_PARAMS, "section '%.32s' is not known (expected %s)",
				section, CTL_WORDS_COMMA(CTL_NET_UPDATE_SECTION_LIST));
	u.section = (enum network_update_section)ret;
	ret = network_update_def(n, &u, err, sizeof(err));
	return ret ? ctl_fail_errno(req, ret, err) : 0;
}

static const char *const update_params[] = { "network",	     "command", "section", "xml",
					     "parent_index", "live",	"config",  NULL };
static const char *const xml_params[] = { "xml", NULL };
static const char *const net_params[] = { "network", NULL };
static const char *const autostart_params[] = { "network", "enable", NULL };
static const char *const dumpxml_params[] = { "network", "inactive", NULL };
static const char *const no_params[] = { NULL };
static const char *const leases_params[] = { "network", "mac", NULL };

const struct ctl_method ctl_network_methods[] = {
	{ "net.define", xml_params, ctl_network_define },
	{ "net.create", xml_params, ctl_network_create },
	{ "net.undefine", net_params, ctl_network_undefine },
	{ "net.start", net_params, ctl_network_start },
	{ "net.destroy", net_params, ctl_network_destroy },
	{ "net.autostart", autostart_params, ctl_network_autostart },
	{ "net.list", no_params, ctl_network_list },
	{ "net.info", net_params, ctl_network_info },
	{ "net.dumpxml", dumpxml_params, ctl_network_dumpxml },
	{ "net.dhcp_leases", leases_params, ctl_network_dhcp_leases },
	{ "net.update", update_params, ctl_network_update },
	{ NULL, NULL, NULL },
};
