/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ctl_bridge.c - bridge.add, bridge.del, bridge.set, bridge.list */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ctl/vocab.h"
#include "daemon/rpc/ctl_request.h"
#include "daemon/network/network.h"
#include "daemon/switch/datapath.h"
#include "daemon/switch/switch.h"
#include "daemon/switch/switch_host.h"
#include "util/log.h"

#define AGEING_MAX_S CTL_AGEING_MAX

/*
 * The "vlan_protocol" param into @proto, if given.
 * Return: 1 if given, 0 if not, -1 after ctl_fail()
 */
static int ctl_bridge_param_proto(struct ctl_request *req, uint16_t *proto)
{
	const char *word = NULL;

	if (ctl_param_string(req, "vlan_protocol", &word) < 0)
		return -1;
	if (!word)
		return 0;
	if (ctl_vocab_value(&ctl_vlan_protos, word) < 0)
		return ctl_fail(req, CTL_ERR_PARAMS,
				"vlan_protocol '%.32s' is not known (expected %s)", word,
				CTL_WORDS_OR(CTL_VLAN_PROTO_LIST));
	*proto = (uint16_t)ctl_vocab_value(&ctl_vlan_protos, word);
	return 1;
}

/*
 * The bridge's own IGMP/MLD querier on or off; its queries leave by the host netdev's port.
 * Return: 0, or -1 after ctl_fail()
 */
static int ctl_bridge_querier(struct ctl_request *req, struct kv_switch *sw, bool on)
{
	if (on && !sw->host)
		return ctl_fail(req, CTL_ERR_STATE,
				"bridge '%s' has no host netdev (kvnetd runs without "
				"CAP_NET_ADMIN): mcast_querier has no port to send its queries "
				"from; a multicast router or querier on one of its ports does the "
				"same",
				sw->name);
	mdb_set_querier(bridge_mdb(sw->br), on, datapath_now());
	return 0;
}

static int ctl_bridge_add(struct ctl_request *req)
{
	struct bridge_config cfg;
	struct kv_switch *sw;
	const char *name;
	char err[256];
	uint64_t v;
	int r;

	bool querier = false;

	bridge_config_default(&cfg);
	if (ctl_param_name_req(req, "name", &name) < 0 ||
	    ctl_param_bool(req, "vlan_filtering", &cfg.vlan_filtering) < 0 ||
	    ctl_param_bool(req, "mcast_snooping", &cfg.mcast_snooping) < 0 ||
	    ctl_param_bool(req, "mcast_querier", &querier) < 0 ||
	    ctl_param_seconds(req, "ageing_time", AGEING_MAX_S, &cfg.ageing_ns) < 0 ||
	    ctl_bridge_param_proto(req, &cfg.vlan_proto) < 0)
		return -1;
	r = ctl_param_uint(req, "max_learned", CTL_MAX_LEARNED_MIN, CTL_MAX_LEARNED_MAX, &v);
	if (r < 0)
		return -1;
	if (r)
		cfg.fdb_max_learned = (uint32_t)v;
	r = ctl_param_uint(req, "default_pvid", 0, CTL_VID_MAX, &v);
	if (r < 0)
		return -1;
	if (r)
		cfg.default_pvid = (uint16_t)v;
	if (switch_find(name))
		return ctl_fail(req, CTL_ERR_EXISTS, "bridge '%s' already exists", name);
	r = switch_add(name, &cfg, &sw);
	if (r) {
		snprintf(err, sizeof(err), "cannot create bridge '%s': %s", name, strerror(-r));
		return ctl_fail_errno(req, r, err);
	}
	/* its own netdev on the host, as a Linux bridge has (none without CAP_NET_ADMIN) */
	r = switch_host_add(sw, NULL, err, sizeof(err));
	if (r) {
		switch_del(sw);
		return ctl_fail(req, ctl_errno_code(r), "cannot create bridge '%s': %s", name, err);
	}
	if (querier && ctl_bridge_querier(req, sw, true)) {
		switch_del(sw);
		return -1;
	}
	return 0;
}

static int ctl_bridge_del(struct ctl_request *req)
{
	struct kv_network *net;
	struct kv_switch *sw;
	const char *name;
	char err[256];

	if (ctl_param_name_req(req, "name", &name) < 0)
		return -1;
	sw = ctl_find_bridge(req, name);
	if (!sw)
		return -1;
	net = network_by_switch(sw);
	if (net && !net->sw_joined)
		return ctl_fail(req, CTL_ERR_STATE,
				"bridge '%s' belongs to network '%s'; stop it with net-destroy",
				name, net->def->name);
	/* the bridge-mode networks that joined this bridge cannot run without it */
	for (; net; net = network_by_switch(sw)) {
		log_warn("network %s stopped: bridge %s is deleted", net->def->name, name);
		network_destroy(net, err, sizeof(err));
	}
	switch_del(sw);
	return 0;
}

/* a port of S-VLAN bridge @sw that is an S-channel's end (port.add_schannel), or NULL */
static const struct kv_port *ctl_bridge_schannel(const struct kv_switch *sw)
{
	if (bridge_vlan_proto(sw->br) != ETH_P_8021AD)
		return NULL;
	for (const struct kv_port *p = sw->ports; p; p = p->next)
		if (p->patch)
			return p;
	return NULL;
}

static int ctl_bridge_set(struct ctl_request *req)
{
	struct kv_switch *sw;
	const char *name;
	uint64_t ageing;
	uint16_t proto = ETH_P_8021Q;
	bool filtering, snooping, querier;
	int has_f, has_a, has_p, has_s, has_q;

	if (ctl_param_name_req(req, "name", &name) < 0)
		return -1;
	sw = ctl_find_bridge(req, name);
	if (!sw)
		return -1;
	has_f = ctl_param_bool(req, "vlan_filtering", &filtering);
	has_a = ctl_param_seconds(req, "ageing_time", AGEING_MAX_S, &ageing);
	has_p = ctl_bridge_param_proto(req, &proto);
	has_s = ctl_param_bool(req, "mcast_snooping", &snooping);
	has_q = ctl_param_bool(req, "mcast_querier", &querier);
	if (has_f < 0 || has_a < 0 || has_p < 0 || has_s < 0 || has_q < 0)
		return -1;
	if ((has_f && !filtering) || (has_p && proto != ETH_P_8021AD)) {
		const struct kv_port *sc = ctl_bridge_schannel(sw);

		if (sc)
			return ctl_fail(req, CTL_ERR_STATE,
					"bridge '%s' carries S-channel '%s': it stays an S-VLAN "
					"bridge with vlan_filtering on while it has S-channels",
					name, sc->patch->name);
	}
	if (has_q && ctl_bridge_querier(req, sw, querier))
		return -1;
	if (has_s) {
		bridge_set_mcast_snooping(sw->br, snooping);
		sw->cfg.mcast_snooping = snooping;
	}
	if (has_p) {
		bridge_set_vlan_proto(sw->br, proto);
		sw->cfg.vlan_proto = proto;
	}
	if (has_f) {
		bridge_set_vlan_filtering(sw->br, filtering);
		sw->cfg.vlan_filtering = filtering;
	}
	if (has_a) {
		fdb_set_ageing(bridge_fdb(sw->br), ageing);
		sw->cfg.ageing_ns = ageing;
	}
	return 0;
}

static json_t *ctl_bridge_json(const struct kv_switch *sw)
{
	json_t *ports = json_array(), *o;

	for (const struct kv_port *p = sw->ports; p; p = p->next)
		json_array_append_new(ports, json_string(p->name));
	o = json_pack("{s:s,s:b,s:s,s:f,s:I,s:i,s:s,s:o}", "name", sw->name, "vlan_filtering",
		      sw->cfg.vlan_filtering, "vlan_protocol",
		      ctl_vocab_name(&ctl_vlan_protos, bridge_vlan_proto(sw->br)), "ageing_time",
		      sw->cfg.ageing_ns / 1e9, "max_learned", (json_int_t)sw->cfg.fdb_max_learned,
		      "default_pvid", sw->cfg.default_pvid, "relay",
		      bridge_relay_name(bridge_relay(sw->br)), "ports", ports);
	if (o) {
		json_object_set_new(o, "mcast_snooping",
				    json_boolean(bridge_mcast_snooping(sw->br)));
		json_object_set_new(o, "mcast_querier",
				    json_boolean(mdb_querier(bridge_mdb_const(sw->br))));
	}
	return o;
}

static int ctl_bridge_list(struct ctl_request *req)
{
	const char *name = NULL;
	json_t *list;

	if (ctl_param_name(req, "name", &name) < 0 || (name && !ctl_find_bridge(req, name)))
		return -1;
	list = json_array();
	for (struct kv_switch *sw = switches; sw; sw = sw->next)
		if (!name || sw == switch_find(name))
			json_array_append_new(list, ctl_bridge_json(sw));
	req->result = json_pack("{s:o}", "bridges", list);
	return 0;
}

static const char *const add_params[] = { "name",	    "vlan_filtering", "vlan_protocol",
					  "ageing_time",    "max_learned",    "default_pvid",
					  "mcast_snooping", "mcast_querier",  NULL };
static const char *const name_params[] = { "name", NULL };
static const char *const set_params[] = { "name",	 "vlan_filtering", "vlan_protocol",
					  "ageing_time", "mcast_snooping", "mcast_querier",
					  NULL };

const struct ctl_method ctl_bridge_methods[] = {
	{ "bridge.add", add_params, ctl_bridge_add },
	{ "bridge.del", name_params, ctl_bridge_del },
	{ "bridge.set", set_params, ctl_bridge_set },
	{ "bridge.list", name_params, ctl_bridge_list },
	{ NULL, NULL, NULL },
};
