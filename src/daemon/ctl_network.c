/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_network.c - net.define, net.create, net.undefine, net.start, net.destroy,
 * net.autostart, net.list, net.info, net.dumpxml
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "conf/network_xml.h"
#include "daemon/ctl_request.h"
#include "daemon/datapath.h"
#include "daemon/network.h"
#include "daemon/switch.h"
#include "daemon/vm_port.h"

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
		ctl_fail(req, ret == -ENOMEM ? CTL_ERR_SYSTEM : CTL_ERR_PARAMS, "%s",
			 ret == -ENOMEM ? "out of memory" : err);
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

static void ctl_network_result(struct ctl_request *req, const struct kv_network *n, bool created)
{
	char uuid[CONF_UUID_STRLEN];

	conf_uuid_format(n->def->uuid, uuid);
	req->result = json_pack("{s:s,s:s,s:b}", "name", n->def->name, "uuid", uuid, "new",
				created);
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
	return ctl_network_do(req, network_start);
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

static int ctl_network_info(struct ctl_request *req)
{
	struct kv_network *n = ctl_find_network(req, "network");

	if (!n)
		return -1;
	req->result = ctl_network_json(n);
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

static const char *const xml_params[] = { "xml", NULL };
static const char *const net_params[] = { "network", NULL };
static const char *const autostart_params[] = { "network", "enable", NULL };
static const char *const dumpxml_params[] = { "network", "inactive", NULL };
static const char *const no_params[] = { NULL };

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
	{ NULL, NULL, NULL },
};
